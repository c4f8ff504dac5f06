// Interop check: drive a running netserver with Mono's WCF client (System.ServiceModel) through
// a hand-written [MessageContract] proxy in the shape of SuperOffice's own .NET proxies
// (request contracts with ApplicationToken/Credentials/TimeZone headers and wrapped body
// members, response contracts with ExceptionInfo/ExtraInfo/Succeeded/TimeZone headers).
// BasicHttpBinding for SOAP 1.1; a CustomBinding with MessageVersion.Soap12 (no addressing)
// for SOAP 1.2. Built and cached by ./run.
//
//   mono check.exe 11|12
//
// Steps: 1 admin log-in, 2 SetPassword, 3 target log-ins, A ChangeOwnPassword as the target,
// B IsPasswordValidWithReason, 4 made-up and revoked tickets, 5 the faults-mode server.
// Reads the runner's variables (see interop/run). Output headers are message-contract
// members, so application errors are checked on NS_BASE through Succeeded/ExceptionInfo;
// NS_FAULT_BASE is checked as well, through FaultException<ExceptionInfoFault> (the
// operations' [FaultContract]). Prints one line per step (never a password or ticket); exits
// 0 when all passed, 1 on the first failure, 2 on bad usage.
using System;
using System.Collections.Generic;
using System.Runtime.Serialization;
using System.Security.Cryptography;
using System.ServiceModel;
using System.ServiceModel.Channels;
using System.Text;

namespace Services88 {
    static class Ns {
        public const string Services88 = "http://www.superoffice.net/ws/crm/NetServer/Services88";
        public const string Arrays = "http://schemas.microsoft.com/2003/10/Serialization/Arrays";
        public const string Action = Services88 + "/";
    }

    // ---- data contracts (members in the WSDL's sequence order: DataContractSerializer reads in order)

    [DataContract(Namespace = Ns.Services88)]
    public class SoCredentials {
        [DataMember(Order = 0)] public string Ticket;
    }

    [DataContract(Namespace = Ns.Services88)]
    public class SoTimeZone {
        [DataMember(Order = 0)] public int SoTimeZoneId;
        [DataMember(Order = 1)] public string SoTimeZoneLocationCode;
    }

    [CollectionDataContract(Namespace = Ns.Services88, ItemName = "SoExceptionInfoParametersKeyValuePair", KeyName = "Key", ValueName = "Value")]
    public class SoExceptionInfoParameters : Dictionary<string, string> { }

    [CollectionDataContract(Namespace = Ns.Services88, ItemName = "ExtraInfoNameValuePair", KeyName = "Key", ValueName = "Value")]
    public class SoExtraInfo : Dictionary<string, string> { }

    [DataContract(Namespace = Ns.Services88)]
    public class SoExceptionInfo {
        [DataMember(Order = 0)] public string Message;
        [DataMember(Order = 1)] public string StackTrace;
        [DataMember(Order = 2)] public string FriendlyText;
        [DataMember(Order = 3)] public string ExceptionType;
        [DataMember(Order = 4)] public string Source;
        [DataMember(Order = 5)] public SoExceptionInfo InnerException;
        [DataMember(Order = 6)] public SoExceptionInfoParameters Parameters;
    }

    // The fault detail element is <ExceptionInfo> (an SoExceptionInfo). .NET WCF matches a fault
    // detail by the [FaultContract]'s Name/Namespace; Mono 6.8 ignores those and matches by the
    // detail type's own data contract name, so the detail type is named ExceptionInfo here.
    [DataContract(Name = "ExceptionInfo", Namespace = Ns.Services88)]
    public class ExceptionInfoFault : SoExceptionInfo { }

    [DataContract(Namespace = Ns.Services88)]
    public enum UserType {
        [EnumMember] Unknown, [EnumMember] InternalAssociate, [EnumMember] ResourceAssociate,
        [EnumMember] ExternalAssociate, [EnumMember] AnonymousAssociate, [EnumMember] SystemAssociate,
    }

    [DataContract(Namespace = Ns.Services88)]
    public enum RoleType {
        [EnumMember] Employee, [EnumMember] ExternalUser, [EnumMember] Anonymous, [EnumMember] System,
    }

    // SoPrincipalCarrier, without its two lists of complex carriers (Licenses,
    // ProvidedCredentials), which this check does not need; DataContractSerializer skips them.
    [DataContract(Namespace = Ns.Services88)]
    public class SoPrincipalCarrier {
        [DataMember(Order = 0)] public UserType UserType;
        [DataMember(Order = 1)] public string Associate;
        [DataMember(Order = 2)] public int AssociateId;
        [DataMember(Order = 3)] public bool IsPerson;
        [DataMember(Order = 4)] public int PersonId;
        [DataMember(Order = 5)] public int CountryId;
        [DataMember(Order = 6)] public int HomeCountryId;
        [DataMember(Order = 7)] public int ContactId;
        [DataMember(Order = 8)] public int GroupId;
        [DataMember(Order = 9)] public int BusinessId;
        [DataMember(Order = 10)] public int CategoryId;
        [DataMember(Order = 11)] public int ContactOwner;
        [DataMember(Order = 12)] public int RoleId;
        [DataMember(Order = 13)] public string RoleName;
        [DataMember(Order = 14)] public string RoleDescription;
        [DataMember(Order = 15)] public RoleType RoleType;
        [DataMember(Order = 17)] public string FullName;
        [DataMember(Order = 18)] public string EMailAddress;
        [DataMember(Order = 19)] public string[] FunctionRights;
        [DataMember(Order = 20)] public int EjUserId;
        [DataMember(Order = 21)] public int EjAccessLevel;
        [DataMember(Order = 24)] public int[] SecondaryGroups;
        [DataMember(Order = 25)] public string DatabaseContextIdentifier;
    }

    // Carrier, the base of UserValidationResult: its members come first on the wire (the
    // DataContractSerializer writes and reads a base type's members before the derived type's),
    // in the WSDL's order TableRight, FieldProperties (not the alphabetical default, hence Order).
    [DataContract(Namespace = Ns.Services88)]
    public class Carrier {
        [DataMember(Order = 0)] public TableRight TableRight;
        [DataMember(Order = 1)] public FieldPropertyDictionary FieldProperties;
    }

    // ETableRight and EFieldRight are xs:list enumerations, i.e. [Flags] enums for the
    // DataContractSerializer (space-separated names). The WSDL names the values but not their
    // numbers; each gets its own bit here, which reads and writes every listed name.
    [DataContract(Namespace = Ns.Services88), Flags]
    public enum ETableRight {
        [EnumMember] Select = 1, [EnumMember] Update = 2, [EnumMember] Insert = 4, [EnumMember] Delete = 8,
        [EnumMember] Filtering = 16, [EnumMember] RestrictedUpdate = 32, [EnumMember] Unused1 = 64,
        [EnumMember] Uninitialized = 128, [EnumMember] R = 256, [EnumMember] F = 512,
    }

    [DataContract(Namespace = Ns.Services88), Flags]
    public enum EFieldRight {
        [EnumMember] Read = 1, [EnumMember] Write = 2, [EnumMember] Unused1 = 4, [EnumMember] Unused2 = 8,
        [EnumMember] Unused3 = 16, [EnumMember] Unused4 = 32, [EnumMember] UIHintMandatory = 64,
        [EnumMember] UIHintReadOnly = 128, [EnumMember] UndefinedValue256 = 256, [EnumMember] Nullable = 512,
    }

    [DataContract(Namespace = Ns.Services88)]
    public class TableRight {
        [DataMember(Order = 0)] public ETableRight Mask;
        [DataMember(Order = 1)] public string Reason;
    }

    [DataContract(Namespace = Ns.Services88)]
    public class FieldRight {
        [DataMember(Order = 0)] public EFieldRight Mask;
        [DataMember(Order = 1)] public string Reason;
    }

    [DataContract(Namespace = Ns.Services88)]
    public class FieldProperty {
        [DataMember(Order = 0)] public FieldRight FieldRight;
        [DataMember(Order = 1)] public string FieldType;
        [DataMember(Order = 2)] public int FieldLength;
    }

    [CollectionDataContract(Namespace = Ns.Services88, ItemName = "FieldPropertyDictionaryKeyValuePair", KeyName = "Key", ValueName = "Value")]
    public class FieldPropertyDictionary : Dictionary<string, FieldProperty> { }

    // IsPasswordValidWithReason's answer: Carrier's members (netserver sends neither), then
    // Reason and Result. All members are optional, so a member read out of order would be
    // skipped silently rather than fail: the check asserts Reason and Result themselves.
    [DataContract(Namespace = Ns.Services88)]
    public class UserValidationResult : Carrier {
        [DataMember(Order = 0)] public string Reason;
        [DataMember(Order = 1)] public bool Result;
    }

    // ---- SoPrincipal.svc

    [MessageContract(WrapperName = "AuthenticateUsernamePassword", WrapperNamespace = Ns.Services88, IsWrapped = true)]
    public class AuthenticateUsernamePasswordRequest {
        [MessageHeader(Namespace = Ns.Services88)] public string ApplicationToken;
        [MessageBodyMember(Namespace = Ns.Services88, Order = 0)] public string UserName;
        [MessageBodyMember(Namespace = Ns.Services88, Order = 1)] public string Password;
    }

    [MessageContract(WrapperName = "AuthenticateResponse", WrapperNamespace = Ns.Services88, IsWrapped = true)]
    public class AuthenticateResponse {
        [MessageHeader(Namespace = Ns.Services88)] public SoExceptionInfo ExceptionInfo;
        [MessageHeader(Namespace = Ns.Services88)] public SoExtraInfo ExtraInfo;
        [MessageHeader(Namespace = Ns.Services88)] public bool Succeeded;
        [MessageHeader(Namespace = Ns.Services88)] public SoTimeZone TimeZone;
        [MessageBodyMember(Namespace = Ns.Services88, Order = 0)] public SoPrincipalCarrier Response;
        [MessageBodyMember(Namespace = Ns.Services88, Order = 1)] public SoCredentials Credentials;
        [MessageBodyMember(Namespace = Ns.Services88, Order = 2)] public bool AuthenticationSucceeded;
    }

    [ServiceContract(Namespace = Ns.Services88, Name = "SoPrincipal")]
    public interface SoPrincipal {
        [OperationContract(Action = Ns.Action + "SoPrincipal/AuthenticateUsernamePassword",
                           ReplyAction = Ns.Action + "SoPrincipal/AuthenticateUsernamePasswordResponse")]
        [FaultContract(typeof(ExceptionInfoFault), Name = "ExceptionInfo", Namespace = Ns.Services88)]
        AuthenticateResponse AuthenticateUsernamePassword(AuthenticateUsernamePasswordRequest request);
    }

    // ---- User.svc

    [MessageContract(WrapperName = "SetPassword", WrapperNamespace = Ns.Services88, IsWrapped = true)]
    public class SetPasswordRequest {
        [MessageHeader(Namespace = Ns.Services88)] public string ApplicationToken;
        [MessageHeader(Namespace = Ns.Services88)] public SoCredentials Credentials;
        [MessageHeader(Namespace = Ns.Services88)] public SoTimeZone TimeZone;
        [MessageBodyMember(Namespace = Ns.Services88, Order = 0)] public int AssociateId;
        [MessageBodyMember(Namespace = Ns.Services88, Order = 1)] public string Password;
    }

    [MessageContract(WrapperName = "SetPasswordResponse", WrapperNamespace = Ns.Services88, IsWrapped = true)]
    public class SetPasswordResponse {
        [MessageHeader(Namespace = Ns.Services88)] public SoExceptionInfo ExceptionInfo;
        [MessageHeader(Namespace = Ns.Services88)] public SoExtraInfo ExtraInfo;
        [MessageHeader(Namespace = Ns.Services88)] public bool Succeeded;
        [MessageHeader(Namespace = Ns.Services88)] public SoTimeZone TimeZone;
        [MessageBodyMember(Namespace = Ns.Services88, Order = 0)] public bool Response;
    }

    [MessageContract(WrapperName = "ChangeOwnPassword", WrapperNamespace = Ns.Services88, IsWrapped = true)]
    public class ChangeOwnPasswordRequest {
        [MessageHeader(Namespace = Ns.Services88)] public string ApplicationToken;
        [MessageHeader(Namespace = Ns.Services88)] public SoCredentials Credentials;
        [MessageHeader(Namespace = Ns.Services88)] public SoTimeZone TimeZone;
        [MessageBodyMember(Namespace = Ns.Services88, Order = 0)] public string OldPassword;
        [MessageBodyMember(Namespace = Ns.Services88, Order = 1)] public string NewPassword;
    }

    [MessageContract(WrapperName = "ChangeOwnPasswordResponse", WrapperNamespace = Ns.Services88, IsWrapped = true)]
    public class ChangeOwnPasswordResponse {
        [MessageHeader(Namespace = Ns.Services88)] public SoExceptionInfo ExceptionInfo;
        [MessageHeader(Namespace = Ns.Services88)] public SoExtraInfo ExtraInfo;
        [MessageHeader(Namespace = Ns.Services88)] public bool Succeeded;
        [MessageHeader(Namespace = Ns.Services88)] public SoTimeZone TimeZone;
        [MessageBodyMember(Namespace = Ns.Services88, Order = 0)] public bool Response;
    }

    [MessageContract(WrapperName = "IsPasswordValidWithReason", WrapperNamespace = Ns.Services88, IsWrapped = true)]
    public class IsPasswordValidWithReasonRequest {
        [MessageHeader(Namespace = Ns.Services88)] public string ApplicationToken;
        [MessageHeader(Namespace = Ns.Services88)] public SoCredentials Credentials;
        [MessageHeader(Namespace = Ns.Services88)] public SoTimeZone TimeZone;
        [MessageBodyMember(Namespace = Ns.Services88, Order = 0)] public int AssociateId;
        [MessageBodyMember(Namespace = Ns.Services88, Order = 1)] public UserType Type;
        [MessageBodyMember(Namespace = Ns.Services88, Order = 2)] public int PersonId;
        [MessageBodyMember(Namespace = Ns.Services88, Order = 3)] public string Password;
    }

    [MessageContract(WrapperName = "IsPasswordValidWithReasonResponse", WrapperNamespace = Ns.Services88, IsWrapped = true)]
    public class IsPasswordValidWithReasonResponse {
        [MessageHeader(Namespace = Ns.Services88)] public SoExceptionInfo ExceptionInfo;
        [MessageHeader(Namespace = Ns.Services88)] public SoExtraInfo ExtraInfo;
        [MessageHeader(Namespace = Ns.Services88)] public bool Succeeded;
        [MessageHeader(Namespace = Ns.Services88)] public SoTimeZone TimeZone;
        [MessageBodyMember(Namespace = Ns.Services88, Order = 0)] public UserValidationResult Response;
    }

    [ServiceContract(Namespace = Ns.Services88, Name = "User")]
    public interface User {
        [OperationContract(Action = Ns.Action + "User/SetPassword", ReplyAction = Ns.Action + "User/SetPasswordResponse")]
        [FaultContract(typeof(ExceptionInfoFault), Name = "ExceptionInfo", Namespace = Ns.Services88)]
        SetPasswordResponse SetPassword(SetPasswordRequest request);

        [OperationContract(Action = Ns.Action + "User/ChangeOwnPassword", ReplyAction = Ns.Action + "User/ChangeOwnPasswordResponse")]
        [FaultContract(typeof(ExceptionInfoFault), Name = "ExceptionInfo", Namespace = Ns.Services88)]
        ChangeOwnPasswordResponse ChangeOwnPassword(ChangeOwnPasswordRequest request);

        [OperationContract(Action = Ns.Action + "User/IsPasswordValidWithReason", ReplyAction = Ns.Action + "User/IsPasswordValidWithReasonResponse")]
        [FaultContract(typeof(ExceptionInfoFault), Name = "ExceptionInfo", Namespace = Ns.Services88)]
        IsPasswordValidWithReasonResponse IsPasswordValidWithReason(IsPasswordValidWithReasonRequest request);
    }
}

namespace Check {
    using Services88;

    class CheckFailed : Exception {
        public CheckFailed(string message) : base(message) { }
    }

    static class Program {
        const string BogusTicket = "7T:bm9wZQ==";
        const string InvalidTicket = "SoInvalidTicketException";
        const string WrongPassword = "SoWrongPasswordException";
        const string AppToken = "interop-mono-wcf";

        static string label;
        static Binding binding;
        static string baseUrl, faultBase;
        static int passed;

        static string Env(string name) {
            string value = Environment.GetEnvironmentVariable(name);
            if (string.IsNullOrEmpty(value)) {
                Console.Error.WriteLine(name + " is not set (see interop/run)");
                Environment.Exit(2);
            }
            return value;
        }

        // >= 8 characters with XML-special characters and a non-ASCII letter (e-acute), to
        // exercise escaping and UTF-8 on both sides.
        static string NewPassword(string tag) {
            var bytes = new byte[6];
            using (var rng = RandomNumberGenerator.Create()) rng.GetBytes(bytes);
            string random = Convert.ToBase64String(bytes).Replace('+', '-').Replace('/', '_');
            return "Z\u00e9" + tag + "&<" + random + ">9!";
        }

        // A long random password (32 random characters plus the special ones) for the policy check.
        static string LongPassword() {
            var bytes = new byte[24];
            using (var rng = RandomNumberGenerator.Create()) rng.GetBytes(bytes);
            return "\u00e9&<" + Convert.ToBase64String(bytes).Replace('+', '-').Replace('/', '_') + ">";
        }

        static void Ok(string step, string detail) {
            passed++;
            Console.WriteLine("PASS " + label + " " + step + (detail == "" ? "" : ": " + detail));
        }

        static void Expect(bool condition, string step, string detail) {
            if (!condition) throw new CheckFailed(label + " " + step + ": " + detail);
        }

        static string Show(object value) {
            return value == null ? "null" : value.ToString();
        }

        // One channel per call (closed afterwards), as a generated ClientBase proxy would be used.
        static TResult Call<TChannel, TResult>(string at, string svc, string step, Func<TChannel, TResult> call) {
            var factory = new ChannelFactory<TChannel>(binding, new EndpointAddress(at + "/Remote/Services88/" + svc + ".svc"));
            try {
                var channel = factory.CreateChannel();
                var result = call(channel);
                ((IClientChannel)channel).Close();
                return result;
            } catch (FaultException) {
                throw;
            } catch (Exception e) {
                throw new CheckFailed(label + " " + step + ": " + e.GetType().Name + ": " + e.Message);
            } finally {
                factory.Abort();
            }
        }

        static AuthenticateResponse Authenticate(string name, string password, string step) {
            try {
                return Call<SoPrincipal, AuthenticateResponse>(baseUrl, "SoPrincipal", step, c => c.AuthenticateUsernamePassword(
                    new AuthenticateUsernamePasswordRequest { ApplicationToken = AppToken, UserName = name, Password = password }));
            } catch (FaultException e) {
                throw new CheckFailed(label + " " + step + ": " + e.GetType().Name + ": " + e.Message);
            }
        }

        static SetPasswordResponse SetPassword(string at, string ticket, int id, string password, string step) {
            return Call<User, SetPasswordResponse>(at, "User", step, c => c.SetPassword(new SetPasswordRequest {
                ApplicationToken = AppToken,
                Credentials = new SoCredentials { Ticket = ticket },
                AssociateId = id,
                Password = password,
            }));
        }

        // Against NS_BASE an application error is no fault (Succeeded=false + ExceptionInfo).
        static T NoFault<T>(string step, Func<T> call) {
            try {
                return call();
            } catch (FaultException e) {
                throw new CheckFailed(label + " " + step + ": " + e.GetType().Name + ": " + e.Message);
            }
        }

        static SetPasswordResponse SetPasswordNoFault(string ticket, int id, string password, string step) {
            return NoFault(step, () => SetPassword(baseUrl, ticket, id, password, step));
        }

        static ChangeOwnPasswordResponse ChangeOwnPassword(string at, string ticket, string oldPassword, string newPassword, string step) {
            return Call<User, ChangeOwnPasswordResponse>(at, "User", step, c => c.ChangeOwnPassword(new ChangeOwnPasswordRequest {
                ApplicationToken = AppToken,
                Credentials = new SoCredentials { Ticket = ticket },
                OldPassword = oldPassword,
                NewPassword = newPassword,
            }));
        }

        static IsPasswordValidWithReasonResponse Validate(string ticket, int id, string password, string step) {
            return NoFault(step, () => Call<User, IsPasswordValidWithReasonResponse>(baseUrl, "User", step,
                c => c.IsPasswordValidWithReason(new IsPasswordValidWithReasonRequest {
                    ApplicationToken = AppToken,
                    Credentials = new SoCredentials { Ticket = ticket },
                    AssociateId = id,
                    Type = UserType.InternalAssociate,
                    PersonId = 0,
                    Password = password,
                })));
        }

        // Runs a call against NS_FAULT_BASE expected to raise FaultException<ExceptionInfoFault>
        // (the operations' FaultContract) and checks the detail's ExceptionType.
        static void ExpectFault(string step, string expectedType, Action call) {
            FaultException fault = null;
            try {
                call();
            } catch (FaultException e) {
                fault = e;
            }
            Expect(fault != null, step, "no FaultException raised");
            var typed = fault as FaultException<ExceptionInfoFault>;
            string type = typed == null || typed.Detail == null ? null : typed.Detail.ExceptionType;
            Expect(type == expectedType, step, fault.GetType().Name + " " + fault.Code.Name + " '" + fault.Message
                + "', detail ExceptionType=" + Show(type));
            Ok(step, "FaultException<ExceptionInfo> " + fault.Code.Name + ", Detail.ExceptionType=" + type
                + " (code " + Show(Code(typed.Detail)) + ")");
        }

        // The ExceptionInfo's Parameters entry `code` (netserver's reason), for the step detail only.
        static string Code(SoExceptionInfo info) {
            string code = null;
            if (info != null && info.Parameters != null) info.Parameters.TryGetValue("code", out code);
            return code;
        }

        static void ExpectInvalidTicket(string ticket, int id, string step) {
            var r = SetPasswordNoFault(ticket, id, NewPassword("x"), step);
            string type = r.ExceptionInfo == null ? null : r.ExceptionInfo.ExceptionType;
            Expect(!r.Response && !r.Succeeded && type == InvalidTicket, step,
                "Response=" + r.Response + ", Succeeded=" + r.Succeeded + ", ExceptionType=" + Show(type));
            Ok(step, "Response=False, Succeeded=False, ExceptionInfo.ExceptionType=" + type + " (code " + Show(Code(r.ExceptionInfo)) + ")");
        }

        static string MonoVersion() {
            var runtime = Type.GetType("Mono.Runtime");
            var name = runtime == null ? null : runtime.GetMethod("GetDisplayName",
                System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static);
            return name == null ? Environment.Version.ToString() : ((string)name.Invoke(null, null)).Split(' ')[0];
        }

        static int Main(string[] args) {
            if (args.Length != 1 || (args[0] != "11" && args[0] != "12")) {
                Console.Error.WriteLine("usage: check.exe 11|12");
                return 2;
            }
            if (args[0] == "11") {
                label = "SOAP 1.1";
                binding = new BasicHttpBinding();
            } else {
                label = "SOAP 1.2";
                binding = new CustomBinding(
                    new TextMessageEncodingBindingElement(MessageVersion.Soap12, Encoding.UTF8),
                    new HttpTransportBindingElement());
            }
            baseUrl = Env("NS_BASE").TrimEnd('/');
            faultBase = (Environment.GetEnvironmentVariable("NS_FAULT_BASE") ?? "").TrimEnd('/');
            string adminUser = Env("NS_ADMIN_USER"), adminPassword = Env("NS_ADMIN_PASSWORD");
            string targetUser = Env("NS_TARGET_USER"), targetPassword = Env("NS_TARGET_PASSWORD");
            int targetId = int.Parse(Env("NS_TARGET_ID"));

            Console.WriteLine("mono-wcf (Mono " + MonoVersion() + ", " + binding.GetType().Name + ", "
                + binding.MessageVersion.Envelope.ToString().Split('(')[0] + " without addressing), " + label + ", against " + baseUrl);
            try {
                // 1. Administrator log-in; the ticket comes from the body's Credentials.Ticket.
                string step = "1 log in as " + adminUser;
                var admin = Authenticate(adminUser, adminPassword, step);
                string adminTicket = admin.Credentials == null ? null : admin.Credentials.Ticket;
                Expect(admin.AuthenticationSucceeded, step, "AuthenticationSucceeded=false");
                Expect(!string.IsNullOrEmpty(adminTicket), step, "no Credentials.Ticket");
                Expect(admin.Succeeded && admin.ExceptionInfo == null, step, "Succeeded header=" + admin.Succeeded);
                Expect(admin.Response != null && admin.Response.Associate == adminUser, step,
                    "Response.Associate=" + (admin.Response == null ? "no Response" : Show(admin.Response.Associate)));
                Ok(step, "AuthenticationSucceeded=True, ticket received, Succeeded=True, Response.Associate="
                    + admin.Response.Associate + " (" + admin.Response.UserType + ")");

                // 2. Set the target's password with the administrator's ticket.
                step = "2 SetPassword(" + targetId + ")";
                string password = NewPassword(args[0]);
                var set = SetPasswordNoFault(adminTicket, targetId, password, step);
                Expect(set.Response && set.Succeeded && set.ExceptionInfo == null, step,
                    "Response=" + set.Response + ", Succeeded=" + set.Succeeded);
                Ok(step, "Response=True, Succeeded=True");

                // 3. The new password works (its ticket T is kept for steps A, B and 4), the old one does not.
                step = "3 log in as " + targetUser + " with the new password";
                var target = Authenticate(targetUser, password, step);
                string targetTicket = target.Credentials == null ? null : target.Credentials.Ticket;
                Expect(target.AuthenticationSucceeded && !string.IsNullOrEmpty(targetTicket), step,
                    "AuthenticationSucceeded=" + target.AuthenticationSucceeded);
                Ok(step, "AuthenticationSucceeded=True");
                step = "3 log in as " + targetUser + " with the old password";
                var old = Authenticate(targetUser, targetPassword, step);
                Expect(!old.AuthenticationSucceeded && (old.Credentials == null || string.IsNullOrEmpty(old.Credentials.Ticket)),
                    step, "AuthenticationSucceeded=" + old.AuthenticationSucceeded);
                Ok(step, "AuthenticationSucceeded=False");

                // A. The target changes its own password with ticket T; T stays valid (the caller
                //    keeps its ticket), which the wrong-old-password call and step B also show.
                step = "A ChangeOwnPassword as " + targetUser;
                string password2 = NewPassword(args[0] + "c");
                var own = NoFault(step, () => ChangeOwnPassword(baseUrl, targetTicket, password, password2, step));
                Expect(own.Response && own.Succeeded && own.ExceptionInfo == null, step,
                    "Response=" + own.Response + ", Succeeded=" + own.Succeeded
                    + ", ExceptionType=" + (own.ExceptionInfo == null ? "null" : Show(own.ExceptionInfo.ExceptionType)));
                Ok(step, "Response=True, Succeeded=True");
                string previous = password;
                password = password2;
                step = "A log in as " + targetUser + " with the changed password";
                var changed = Authenticate(targetUser, password, step);
                Expect(changed.AuthenticationSucceeded && changed.Credentials != null && !string.IsNullOrEmpty(changed.Credentials.Ticket),
                    step, "AuthenticationSucceeded=" + changed.AuthenticationSucceeded);
                Ok(step, "AuthenticationSucceeded=True");
                step = "A log in as " + targetUser + " with the step-2 password";
                old = Authenticate(targetUser, previous, step);
                Expect(!old.AuthenticationSucceeded && (old.Credentials == null || string.IsNullOrEmpty(old.Credentials.Ticket)),
                    step, "AuthenticationSucceeded=" + old.AuthenticationSucceeded);
                Ok(step, "AuthenticationSucceeded=False");
                step = "A ChangeOwnPassword with a wrong old password (ticket T still valid)";
                own = NoFault(step, () => ChangeOwnPassword(baseUrl, targetTicket, NewPassword("w"), NewPassword(args[0] + "d"), step));
                string ownType = own.ExceptionInfo == null ? null : own.ExceptionInfo.ExceptionType;
                Expect(!own.Response && !own.Succeeded && ownType == WrongPassword, step,
                    "Response=" + own.Response + ", Succeeded=" + own.Succeeded + ", ExceptionType=" + Show(ownType));
                Ok(step, "Response=False, Succeeded=False, ExceptionInfo.ExceptionType=" + ownType + " (code " + Show(Code(own.ExceptionInfo)) + ")");

                // B. The policy verdict with its reason (a UserValidationResult), asked with ticket T.
                step = "B IsPasswordValidWithReason(" + targetId + ", InternalAssociate, 0, \"short\")";
                var verdict = Validate(targetTicket, targetId, "short", step);
                var result = verdict.Response;
                Expect(result != null && !result.Result && !string.IsNullOrEmpty(result.Reason) && verdict.Succeeded, step,
                    result == null ? "no Response" : "Result=" + result.Result + ", Reason=" + Show(result.Reason) + ", Succeeded=" + verdict.Succeeded);
                Ok(step, "Result=False, Reason=\"" + result.Reason + "\"");
                step = "B IsPasswordValidWithReason(" + targetId + ", InternalAssociate, 0, <long random>)";
                verdict = Validate(targetTicket, targetId, LongPassword(), step);
                result = verdict.Response;
                Expect(result != null && result.Result && verdict.Succeeded, step,
                    result == null ? "no Response" : "Result=" + result.Result + ", Reason=" + Show(result.Reason) + ", Succeeded=" + verdict.Succeeded);
                Ok(step, "Result=True, Reason=" + (string.IsNullOrEmpty(result.Reason) ? "empty" : "\"" + result.Reason + "\""));

                // 4. A made-up ticket, then a revoked one (T, after the administrator sets the
                //    target's password again).
                ExpectInvalidTicket(BogusTicket, targetId, "4 SetPassword with a made-up ticket");
                step = "4 SetPassword(" + targetId + ") again by " + adminUser;
                string password3 = NewPassword(args[0] + "b");
                set = SetPasswordNoFault(adminTicket, targetId, password3, step);
                Expect(set.Response && set.Succeeded, step, "Response=" + set.Response + ", Succeeded=" + set.Succeeded);
                password = password3;
                Ok(step, "Response=True, Succeeded=True");
                ExpectInvalidTicket(targetTicket, targetId, "4 SetPassword with " + targetUser + "'s revoked ticket");

                // 5. The faults-mode server: FaultException<ExceptionInfoFault> from the FaultContract.
                if (faultBase != "") {
                    step = "5 SetPassword with a made-up ticket against NS_FAULT_BASE";
                    ExpectFault(step, InvalidTicket, () => SetPassword(faultBase, BogusTicket, targetId, NewPassword("f"), step));
                    // The ticket from the log-in with the changed password was revoked by step 4's
                    // SetPassword; log in again with the current password (same store).
                    step = "5 log in as " + targetUser + " with the current password";
                    var again = Authenticate(targetUser, password, step);
                    string againTicket = again.Credentials == null ? null : again.Credentials.Ticket;
                    Expect(again.AuthenticationSucceeded && !string.IsNullOrEmpty(againTicket), step,
                        "AuthenticationSucceeded=" + again.AuthenticationSucceeded);
                    Ok(step, "AuthenticationSucceeded=True");
                    string faultStep = "5 ChangeOwnPassword with a wrong old password against NS_FAULT_BASE";
                    ExpectFault(faultStep, WrongPassword,
                        () => ChangeOwnPassword(faultBase, againTicket, NewPassword("w"), NewPassword("f"), faultStep));
                }
            } catch (CheckFailed failure) {
                Console.WriteLine("FAIL " + failure.Message);
                Console.WriteLine("mono-wcf: " + passed + " passed, 1 failed");
                return 1;
            }
            Console.WriteLine("mono-wcf: " + passed + " passed, 0 failed");
            return 0;
        }
    }
}
