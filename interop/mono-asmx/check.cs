// Interop check: drive a running netserver with Mono's ASMX client (SoapHttpClientProtocol),
// through the proxies that Mono's `wsdl` tool generated from the served WSDLs
// (namespace Asmx.Principal from SoPrincipal.svc?wsdl, Asmx.User from User.svc?wsdl;
// `wsdl -protocol:SOAP12` for SOAP 1.2). Built and cached by ./run.
//
//   mono check.exe 11|12
//
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

            // 3. The new password works (its ticket is kept for step 4), the old one does not.
            step = "3 log in as " + targetUser + " with the new password";
            var target = Authenticate(targetUser, password, step);
            Expect(target.Succeeded && !string.IsNullOrEmpty(target.Ticket), step, "AuthenticationSucceeded=" + target.Succeeded);
            Ok(step, "AuthenticationSucceeded=True");
            step = "3 log in as " + targetUser + " with the old password";
            var old = Authenticate(targetUser, targetPassword, step);
            Expect(!old.Succeeded && string.IsNullOrEmpty(old.Ticket), step, "AuthenticationSucceeded=" + old.Succeeded);
            Ok(step, "AuthenticationSucceeded=False");

            // 4. A made-up ticket, then a revoked one (the target's, after another change).
            ExpectInvalidTicket(BogusTicket, targetId, "4 SetPassword with a made-up ticket");
            step = "4 SetPassword(" + targetId + ") again by " + adminUser;
            set = SetPassword(userUrl, admin.Ticket, targetId, NewPassword(args[0] + "b"), step);
            Expect(set.Response && set.SucceededHeader == "true", step,
                "Response=" + set.Response + ", Succeeded=" + Show(set.SucceededHeader));
            Ok(step, "Response=True, Succeeded header true");
            ExpectInvalidTicket(target.Ticket, targetId, "4 SetPassword with " + targetUser + "'s revoked ticket");

            // 5. The faults-mode server: SoapException whose Detail holds ExceptionInfo.
            if (faultBase != "") {
                step = "5 SetPassword with a made-up ticket against NS_FAULT_BASE";
                SoapException fault = null;
                try {
                    bool response, responseSpecified;
                    User(faultUserUrl, BogusTicket).SetPassword(targetId, true, NewPassword("f"), out response, out responseSpecified);
                } catch (SoapException e) {
                    fault = e;
                } catch (Exception e) {
                    throw new CheckFailed(label + " " + step + ": " + e.GetType().Name + ": " + e.Message);
                }
                Expect(fault != null, step, "no SoapException raised");
                string exceptionType = null;
                if (fault.Detail != null) {
                    var nsm = new XmlNamespaceManager(fault.Detail.OwnerDocument != null ? fault.Detail.OwnerDocument.NameTable : new NameTable());
                    nsm.AddNamespace("so", Ns);
                    var node = fault.Detail.SelectSingleNode(".//so:ExceptionInfo/so:ExceptionType", nsm);
                    if (node != null) exceptionType = node.InnerText;
                }
                Expect(exceptionType == InvalidTicket, step,
                    "SoapException " + fault.Code + " '" + fault.Message + "', detail ExceptionType=" + Show(exceptionType));
                Ok(step, "SoapException " + fault.Code.Name + ", detail ExceptionInfo.ExceptionType=" + exceptionType);
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
