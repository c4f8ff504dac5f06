// Interop check: drive a running netserver with Mono's WCF client (System.ServiceModel) through
// a hand-written [MessageContract] proxy in the shape of SuperOffice's own .NET proxies
// (request contracts with ApplicationToken/Credentials/TimeZone headers and wrapped body
// members, response contracts with ExceptionInfo/ExtraInfo/Succeeded/TimeZone headers).
// BasicHttpBinding for SOAP 1.1; a CustomBinding with MessageVersion.Soap12 (no addressing)
// for SOAP 1.2. Built and cached by ./run.
//
//   mono check.exe 11|12
//
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

    [ServiceContract(Namespace = Ns.Services88, Name = "User")]
    public interface User {
        [OperationContract(Action = Ns.Action + "User/SetPassword", ReplyAction = Ns.Action + "User/SetPasswordResponse")]
        [FaultContract(typeof(ExceptionInfoFault), Name = "ExceptionInfo", Namespace = Ns.Services88)]
        SetPasswordResponse SetPassword(SetPasswordRequest request);
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

        static SetPasswordResponse SetPasswordNoFault(string ticket, int id, string password, string step) {
            try {
                return SetPassword(baseUrl, ticket, id, password, step);
            } catch (FaultException e) {
                throw new CheckFailed(label + " " + step + ": " + e.GetType().Name + ": " + e.Message);
            }
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

                // 3. The new password works (its ticket is kept for step 4), the old one does not.
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

                // 4. A made-up ticket, then a revoked one (the target's, after another change).
                ExpectInvalidTicket(BogusTicket, targetId, "4 SetPassword with a made-up ticket");
                step = "4 SetPassword(" + targetId + ") again by " + adminUser;
                set = SetPasswordNoFault(adminTicket, targetId, NewPassword(args[0] + "b"), step);
                Expect(set.Response && set.Succeeded, step, "Response=" + set.Response + ", Succeeded=" + set.Succeeded);
                Ok(step, "Response=True, Succeeded=True");
                ExpectInvalidTicket(targetTicket, targetId, "4 SetPassword with " + targetUser + "'s revoked ticket");

                // 5. The faults-mode server: FaultException<ExceptionInfoFault> from the FaultContract.
                if (faultBase != "") {
                    step = "5 SetPassword with a made-up ticket against NS_FAULT_BASE";
                    FaultException fault = null;
                    try {
                        SetPassword(faultBase, BogusTicket, targetId, NewPassword("f"), step);
                    } catch (FaultException e) {
                        fault = e;
                    }
                    Expect(fault != null, step, "no FaultException raised");
                    var typed = fault as FaultException<ExceptionInfoFault>;
                    string type = typed == null || typed.Detail == null ? null : typed.Detail.ExceptionType;
                    Expect(type == InvalidTicket, step, fault.GetType().Name + " " + fault.Code.Name + " '" + fault.Message
                        + "', detail ExceptionType=" + Show(type));
                    Ok(step, "FaultException<ExceptionInfo> " + fault.Code.Name + ", Detail.ExceptionType=" + type
                        + " (code " + Show(Code(typed.Detail)) + ")");
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
