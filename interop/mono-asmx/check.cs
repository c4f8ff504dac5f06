// Interop check: drive a running netserver with Mono's ASMX client (SoapHttpClientProtocol),
// through the proxies that Mono's `wsdl` tool generated from the served WSDLs
// (namespace Asmx.Principal from SoPrincipal.svc?wsdl, Asmx.User from User.svc?wsdl;
// `wsdl -protocol:SOAP12` for SOAP 1.2). Built and cached by ./run.
//
//   mono check.exe 11|12
//
// Steps: 1 admin log-in, 2 SetPassword, 3 target log-ins, A ChangeOwnPassword as the target,
// B IsPasswordValidWithReason, 4 made-up and revoked tickets, 5 the faults-mode server.
// Reads the runner's variables (see interop/run). ASMX exposes output headers as proxy
// members (Succeeded, ExceptionInfo), so application errors are checked on NS_BASE through
// those headers; NS_FAULT_BASE is checked as well, through SoapException.Detail.
// Prints one line per step (never a password or ticket); exits 0 when all passed, 1 on the
// first failure, 2 on bad usage.
using System;
using System.Security.Cryptography;
using System.Web.Services.Protocols;
using System.Xml;

class CheckFailed : Exception {
    public CheckFailed(string message) : base(message) { }
}

static class Check {
    const string Ns = "http://www.superoffice.net/ws/crm/NetServer/Services88";
    const string BogusTicket = "7T:bm9wZQ==";
    const string InvalidTicket = "SoInvalidTicketException";
    const string WrongPassword = "SoWrongPasswordException";

    static string label;
    static string principalUrl, userUrl, faultUserUrl;
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

    // The generated header classes for simple-typed header elements (xs:string
    // ApplicationToken -> class @string, xs:boolean Succeeded -> class boolean) carry the
    // element's text in a string[] Text member.
    static string Text(string[] parts) {
        return parts == null ? null : string.Concat(parts);
    }

    static string Show(object value) {
        return value == null ? "null" : value.ToString();
    }

    // Fresh proxies per call, so output headers of an earlier call cannot leak into a check.
    static Asmx.Principal.WcfSoPrincipalService Principal() {
        var proxy = new Asmx.Principal.WcfSoPrincipalService();
        proxy.Url = principalUrl;
        proxy.ApplicationToken = new Asmx.Principal.@string { Text = new[] { "interop-mono-asmx" } };
        return proxy;
    }

    static Asmx.User.WcfUserService User(string url, string ticket) {
        var proxy = new Asmx.User.WcfUserService();
        proxy.Url = url;
        proxy.ApplicationToken = new Asmx.User.@string { Text = new[] { "interop-mono-asmx" } };
        // Renamed by ./run from `Credentials`, which clashes with WebClientProtocol.Credentials.
        proxy.CredentialsHeader = new Asmx.User.SoCredentials { Ticket = ticket };
        return proxy;
    }

    struct Login { public bool Succeeded; public string Ticket; public string SucceededHeader; public Asmx.Principal.SoPrincipalCarrier Carrier; }

    static Login Authenticate(string name, string password, string step) {
        var proxy = Principal();
        Asmx.Principal.SoCredentials credentials;
        bool succeeded, succeededSpecified;
        Asmx.Principal.SoPrincipalCarrier carrier;
        try {
            carrier = proxy.AuthenticateUsernamePassword(name, password, out credentials, out succeeded, out succeededSpecified);
        } catch (Exception e) {
            throw new CheckFailed(label + " " + step + ": " + e.GetType().Name + ": " + e.Message);
        }
        return new Login {
            Succeeded = succeededSpecified && succeeded,
            Ticket = credentials == null ? null : credentials.Ticket,
            SucceededHeader = proxy.Succeeded == null ? null : Text(proxy.Succeeded.Text),
            Carrier = carrier,
        };
    }

    struct SetResult { public bool Response; public string SucceededHeader; public string ExceptionType; public string Code; }

    // The ExceptionInfo's Parameters entry `code` (netserver's reason), for the step detail only.
    static string Code(Asmx.User.SoExceptionInfo info) {
        if (info == null || info.Parameters == null) return null;
        foreach (var pair in info.Parameters) if (pair.Key == "code") return pair.Value;
        return null;
    }

    static SetResult SetPassword(string url, string ticket, int id, string password, string step) {
        var proxy = User(url, ticket);
        bool response, responseSpecified;
        try {
            proxy.SetPassword(id, true, password, out response, out responseSpecified);
        } catch (Exception e) {
            throw new CheckFailed(label + " " + step + ": " + e.GetType().Name + ": " + e.Message);
        }
        return new SetResult {
            Response = responseSpecified && response,
            SucceededHeader = proxy.Succeeded == null ? null : Text(proxy.Succeeded.Text),
            ExceptionType = proxy.ExceptionInfo == null ? null : proxy.ExceptionInfo.ExceptionType,
            Code = Code(proxy.ExceptionInfo),
        };
    }

    static SetResult ChangeOwnPassword(string url, string ticket, string oldPassword, string newPassword, string step) {
        var proxy = User(url, ticket);
        bool response, responseSpecified;
        try {
            proxy.ChangeOwnPassword(oldPassword, newPassword, out response, out responseSpecified);
        } catch (Exception e) {
            throw new CheckFailed(label + " " + step + ": " + e.GetType().Name + ": " + e.Message);
        }
        return new SetResult {
            Response = responseSpecified && response,
            SucceededHeader = proxy.Succeeded == null ? null : Text(proxy.Succeeded.Text),
            ExceptionType = proxy.ExceptionInfo == null ? null : proxy.ExceptionInfo.ExceptionType,
            Code = Code(proxy.ExceptionInfo),
        };
    }

    // IsPasswordValidWithReason(id, InternalAssociate, PersonId 0, password): the generated
    // UserValidationResult (a Carrier subclass) and the Succeeded header.
    static Asmx.User.UserValidationResult Validate(string ticket, int id, string password, string step, out string succeeded) {
        var proxy = User(userUrl, ticket);
        Asmx.User.UserValidationResult result;
        try {
            result = proxy.IsPasswordValidWithReason(id, true, Asmx.User.UserType.InternalAssociate, true, 0, true, password);
        } catch (Exception e) {
            throw new CheckFailed(label + " " + step + ": " + e.GetType().Name + ": " + e.Message);
        }
        succeeded = proxy.Succeeded == null ? null : Text(proxy.Succeeded.Text);
        return result;
    }

    // The ExceptionInfo/ExceptionType inside a SoapException's Detail (faults-mode server).
    static string FaultType(SoapException fault) {
        if (fault.Detail == null) return null;
        var nsm = new XmlNamespaceManager(fault.Detail.OwnerDocument != null ? fault.Detail.OwnerDocument.NameTable : new NameTable());
        nsm.AddNamespace("so", Ns);
        var node = fault.Detail.SelectSingleNode(".//so:ExceptionInfo/so:ExceptionType", nsm);
        return node == null ? null : node.InnerText;
    }

    // Runs a call expected to raise a SoapException and checks its detail's ExceptionType.
    static void ExpectFault(string step, string expectedType, Action call) {
        SoapException fault = null;
        try {
            call();
        } catch (SoapException e) {
            fault = e;
        } catch (Exception e) {
            throw new CheckFailed(label + " " + step + ": " + e.GetType().Name + ": " + e.Message);
        }
        Expect(fault != null, step, "no SoapException raised");
        string exceptionType = FaultType(fault);
        Expect(exceptionType == expectedType, step,
            "SoapException " + fault.Code + " '" + fault.Message + "', detail ExceptionType=" + Show(exceptionType));
        Ok(step, "SoapException " + fault.Code.Name + ", detail ExceptionInfo.ExceptionType=" + exceptionType);
    }

    static void ExpectInvalidTicket(string ticket, int id, string step) {
        var r = SetPassword(userUrl, ticket, id, NewPassword("x"), step);
        Expect(!r.Response && r.SucceededHeader == "false" && r.ExceptionType == InvalidTicket, step,
            "Response=" + r.Response + ", Succeeded=" + Show(r.SucceededHeader) + ", ExceptionType=" + Show(r.ExceptionType));
        Ok(step, "Response=False, Succeeded header false, ExceptionInfo.ExceptionType=" + r.ExceptionType + " (code " + Show(r.Code) + ")");
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
        label = args[0] == "11" ? "SOAP 1.1" : "SOAP 1.2";
        string baseUrl = Env("NS_BASE").TrimEnd('/');
        string faultBase = (Environment.GetEnvironmentVariable("NS_FAULT_BASE") ?? "").TrimEnd('/');
        string adminUser = Env("NS_ADMIN_USER"), adminPassword = Env("NS_ADMIN_PASSWORD");
        string targetUser = Env("NS_TARGET_USER"), targetPassword = Env("NS_TARGET_PASSWORD");
        int targetId = int.Parse(Env("NS_TARGET_ID"));
        principalUrl = baseUrl + "/Remote/Services88/SoPrincipal.svc";
        userUrl = baseUrl + "/Remote/Services88/User.svc";
        faultUserUrl = faultBase + "/Remote/Services88/User.svc";

        var proxyVersion = new Asmx.User.WcfUserService().SoapVersion;  // Default = SOAP 1.1
        Console.WriteLine("mono-asmx (Mono " + MonoVersion() + ", wsdl proxy SoapVersion=" + proxyVersion + "), " + label + ", against " + baseUrl);
        try {
            // 1. Administrator log-in; the ticket comes from the body's Credentials.Ticket.
            string step = "1 log in as " + adminUser;
            var admin = Authenticate(adminUser, adminPassword, step);
            Expect(admin.Succeeded, step, "AuthenticationSucceeded=false");
            Expect(!string.IsNullOrEmpty(admin.Ticket), step, "no Credentials.Ticket");
            Expect(admin.SucceededHeader == "true", step, "Succeeded header=" + Show(admin.SucceededHeader));
            Expect(admin.Carrier != null && admin.Carrier.Associate == adminUser, step,
                "Response.Associate=" + (admin.Carrier == null ? "no Response" : Show(admin.Carrier.Associate)));
            Ok(step, "AuthenticationSucceeded=True, ticket received, Succeeded header true, Response.Associate="
                + admin.Carrier.Associate + " (" + admin.Carrier.UserType + ")");

            // 2. Set the target's password with the administrator's ticket.
            step = "2 SetPassword(" + targetId + ")";
            string password = NewPassword(args[0]);
            var set = SetPassword(userUrl, admin.Ticket, targetId, password, step);
            Expect(set.Response && set.SucceededHeader == "true" && set.ExceptionType == null, step,
                "Response=" + set.Response + ", Succeeded=" + Show(set.SucceededHeader) + ", ExceptionType=" + Show(set.ExceptionType));
            Ok(step, "Response=True, Succeeded header true");

            // 3. The new password works (its ticket T is kept for steps A, B and 4), the old one does not.
            step = "3 log in as " + targetUser + " with the new password";
            var target = Authenticate(targetUser, password, step);
            Expect(target.Succeeded && !string.IsNullOrEmpty(target.Ticket), step, "AuthenticationSucceeded=" + target.Succeeded);
            Ok(step, "AuthenticationSucceeded=True");
            step = "3 log in as " + targetUser + " with the old password";
            var old = Authenticate(targetUser, targetPassword, step);
            Expect(!old.Succeeded && string.IsNullOrEmpty(old.Ticket), step, "AuthenticationSucceeded=" + old.Succeeded);
            Ok(step, "AuthenticationSucceeded=False");

            // A. The target changes its own password with ticket T; T stays valid (the caller
            //    keeps its ticket), which the wrong-old-password call and step B also show.
            step = "A ChangeOwnPassword as " + targetUser;
            string password2 = NewPassword(args[0] + "c");
            var own = ChangeOwnPassword(userUrl, target.Ticket, password, password2, step);
            Expect(own.Response && own.SucceededHeader == "true" && own.ExceptionType == null, step,
                "Response=" + own.Response + ", Succeeded=" + Show(own.SucceededHeader) + ", ExceptionType=" + Show(own.ExceptionType));
            Ok(step, "Response=True, Succeeded header true");
            string previous = password;
            password = password2;
            step = "A log in as " + targetUser + " with the changed password";
            var changed = Authenticate(targetUser, password, step);
            Expect(changed.Succeeded && !string.IsNullOrEmpty(changed.Ticket), step, "AuthenticationSucceeded=" + changed.Succeeded);
            Ok(step, "AuthenticationSucceeded=True");
            step = "A log in as " + targetUser + " with the step-2 password";
            old = Authenticate(targetUser, previous, step);
            Expect(!old.Succeeded && string.IsNullOrEmpty(old.Ticket), step, "AuthenticationSucceeded=" + old.Succeeded);
            Ok(step, "AuthenticationSucceeded=False");
            step = "A ChangeOwnPassword with a wrong old password (ticket T still valid)";
            own = ChangeOwnPassword(userUrl, target.Ticket, NewPassword("w"), NewPassword(args[0] + "d"), step);
            Expect(!own.Response && own.SucceededHeader == "false" && own.ExceptionType == WrongPassword, step,
                "Response=" + own.Response + ", Succeeded=" + Show(own.SucceededHeader) + ", ExceptionType=" + Show(own.ExceptionType));
            Ok(step, "Response=False, Succeeded header false, ExceptionInfo.ExceptionType=" + own.ExceptionType + " (code " + Show(own.Code) + ")");

            // B. The policy verdict with its reason, asked with ticket T.
            step = "B IsPasswordValidWithReason(" + targetId + ", InternalAssociate, 0, \"short\")";
            string validSucceeded;
            var verdict = Validate(target.Ticket, targetId, "short", step, out validSucceeded);
            Expect(verdict != null && !verdict.Result && !string.IsNullOrEmpty(verdict.Reason) && validSucceeded == "true", step,
                verdict == null ? "no Response" : "Result=" + verdict.Result + ", Reason=" + Show(verdict.Reason) + ", Succeeded=" + Show(validSucceeded));
            Ok(step, "Result=False, Reason=\"" + verdict.Reason + "\"");
            step = "B IsPasswordValidWithReason(" + targetId + ", InternalAssociate, 0, <long random>)";
            verdict = Validate(target.Ticket, targetId, LongPassword(), step, out validSucceeded);
            Expect(verdict != null && verdict.Result && validSucceeded == "true", step,
                verdict == null ? "no Response" : "Result=" + verdict.Result + ", Reason=" + Show(verdict.Reason) + ", Succeeded=" + Show(validSucceeded));
            Ok(step, "Result=True, Reason=" + (string.IsNullOrEmpty(verdict.Reason) ? "empty" : "\"" + verdict.Reason + "\""));

            // 4. A made-up ticket, then a revoked one (T, after the administrator sets the
            //    target's password again).
            ExpectInvalidTicket(BogusTicket, targetId, "4 SetPassword with a made-up ticket");
            step = "4 SetPassword(" + targetId + ") again by " + adminUser;
            string password3 = NewPassword(args[0] + "b");
            set = SetPassword(userUrl, admin.Ticket, targetId, password3, step);
            Expect(set.Response && set.SucceededHeader == "true", step,
                "Response=" + set.Response + ", Succeeded=" + Show(set.SucceededHeader));
            password = password3;
            Ok(step, "Response=True, Succeeded header true");
            ExpectInvalidTicket(target.Ticket, targetId, "4 SetPassword with " + targetUser + "'s revoked ticket");

            // 5. The faults-mode server: SoapException whose Detail holds ExceptionInfo.
            if (faultBase != "") {
                ExpectFault("5 SetPassword with a made-up ticket against NS_FAULT_BASE", InvalidTicket, () => {
                    bool response, responseSpecified;
                    User(faultUserUrl, BogusTicket).SetPassword(targetId, true, NewPassword("f"), out response, out responseSpecified);
                });
                // The ticket from the log-in with the changed password was revoked by step 4's
                // SetPassword; log in again with the current password (same store).
                step = "5 log in as " + targetUser + " with the current password";
                var again = Authenticate(targetUser, password, step);
                Expect(again.Succeeded && !string.IsNullOrEmpty(again.Ticket), step, "AuthenticationSucceeded=" + again.Succeeded);
                Ok(step, "AuthenticationSucceeded=True");
                ExpectFault("5 ChangeOwnPassword with a wrong old password against NS_FAULT_BASE", WrongPassword, () => {
                    bool response, responseSpecified;
                    User(faultUserUrl, again.Ticket).ChangeOwnPassword(NewPassword("w"), NewPassword("f"), out response, out responseSpecified);
                });
            }
        } catch (CheckFailed failure) {
            Console.WriteLine("FAIL " + failure.Message);
            Console.WriteLine("mono-asmx: " + passed + " passed, 1 failed");
            return 1;
        }
        Console.WriteLine("mono-asmx: " + passed + " passed, 0 failed");
        return 0;
    }
}
