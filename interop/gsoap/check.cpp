// Interop check: drive a running netserver with a gSOAP 2.8 C++ client whose proxies
// were generated from the served WSDLs (wsdl2h -N on User.svc?wsdl + SoPrincipal.svc?wsdl,
// soapcpp2 -j -C -x; see ./run).
//
//     check 11|12
//
// Reads the runner's variables (see interop/run): NS_BASE, NS_FAULT_BASE, NS_ADMIN_USER,
// NS_ADMIN_PASSWORD, NS_TARGET_USER, NS_TARGET_ID, NS_TARGET_PASSWORD. SOAP 1.1 uses the
// proxies of the BasicHttpBinding_User / BasicHttpBinding_SoPrincipal bindings, SOAP 1.2
// those of the *_Soap12 bindings (each proxy sends its binding's SOAP version, see ./run).
// All four proxies share one gSOAP context.
//
//   1. log in as the administrator; the ticket comes from the body (Credentials.Ticket);
//   2. SetPassword(NS_TARGET_ID) with a password holding `&<>` and `é`: body Response and
//      the Succeeded output header must be true;
//   3. log in as the target with the new password (succeeds, its ticket T is kept) and with
//      the old one (AuthenticationSucceeded false);
//   A. as the target (ticket T): ChangeOwnPassword(step-2 password -> a new one): Response
//      and Succeeded true; log-in with the new one succeeds, with the step-2 one fails;
//      ChangeOwnPassword with a wrong OldPassword: Response false, Succeeded false and
//      ExceptionInfo.ExceptionType SoWrongPasswordException (which also shows T is still
//      valid after the target changed its own password);
//   B. IsPasswordValidWithReason(NS_TARGET_ID, InternalAssociate, 0, "short"): the
//      UserValidationResult has Result false and a non-empty Reason (printed); with a long
//      random password Result is true;
//   4. gSOAP exposes output headers (soap->header after the call), so application errors
//      are checked against NS_BASE: a made-up ticket gives Response false, Succeeded false
//      and ExceptionInfo.ExceptionType SoInvalidTicketException; after the administrator
//      sets the target's password again, the target's ticket T fails the same way;
//   5. the same made-up ticket against NS_FAULT_BASE: the call returns SOAP_FAULT and the
//      fault detail (kept by gSOAP as literal XML) holds ExceptionInfo/ExceptionType.
//
// Prints one line per step (never a password or ticket) and exits 0 when all passed,
// 1 on the first failure, 2 on bad usage.

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <random>
#include <stdexcept>
#include <string>

#include "soapBasicHttpBinding_USCORESoPrincipalProxy.h"
#include "soapBasicHttpBinding_USCORESoPrincipal_USCORESoap12Proxy.h"
#include "soapBasicHttpBinding_USCOREUserProxy.h"
#include "soapBasicHttpBinding_USCOREUser_USCORESoap12Proxy.h"
// The global namespace table that stdsoap2 refers to; every proxy installs its own copy
// (identical for all four) when it is constructed.
#include "BasicHttpBinding_USCOREUser.nsmap"

namespace {

const char *const APP_TOKEN = "netserver-interop-gsoap";
const char *const BOGUS_TICKET = "7T:bm9wZQ==";
const char *const INVALID_TICKET = "SoInvalidTicketException";
const char *const WRONG_PASSWORD = "SoWrongPasswordException";

struct Failed : std::runtime_error {
    using std::runtime_error::runtime_error;
};

std::string env(const char *name) {
    const char *value = std::getenv(name);
    if (value == nullptr || *value == '\0') {
        std::fprintf(stderr, "%s is not set (see interop/run)\n", name);
        std::exit(2);
    }
    return value;
}

std::string trim_slash(std::string url) {
    while (!url.empty() && url.back() == '/') url.pop_back();
    return url;
}

// >= 8 characters with XML-special characters and a non-ASCII letter (UTF-8 in this
// source file; the context has SOAP_C_UTFSTRING so gSOAP sends the bytes as they are);
// `noise` random letters in the middle.
std::string new_password(const std::string &tag, int noise_length = 8) {
    static std::mt19937_64 rng{std::random_device{}()};
    static const char alphabet[] = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    std::string noise;
    for (int i = 0; i < noise_length; ++i) noise += alphabet[rng() % (sizeof alphabet - 1)];
    return "Zé" + tag + "&<" + noise + ">9!";
}

std::string show_bool(const bool *b) { return b == nullptr ? "absent" : (*b ? "true" : "false"); }
std::string show_str(const std::string *s) { return s == nullptr ? "absent" : "'" + *s + "'"; }

// The text of the first <...ExceptionType> element in a literal XML fragment, whatever its prefix.
std::string exception_type_in(const char *xml) {
    if (xml == nullptr) return "(no detail)";
    std::string s(xml);
    for (size_t at = s.find("ExceptionType"); at != std::string::npos; at = s.find("ExceptionType", at + 1)) {
        size_t open = s.rfind('<', at);
        if (open == std::string::npos || s[open + 1] == '/') continue;
        size_t gt = s.find('>', at);
        if (gt == std::string::npos) break;
        size_t lt = s.find('<', gt);
        return s.substr(gt + 1, lt - gt - 1);
    }
    return "(no ExceptionType in detail)";
}

struct Env {
    std::string base, fault_base, admin_user, admin_password, target_user, target_password;
    int target_id;
};

template <class PrincipalProxy, class UserProxy>
class Driver {
  public:
    Driver(struct soap *ctx, int version, const Env &e)
        : ctx_(ctx), soap_version_(version == 11 ? 1 : 2),
          label_(version == 11 ? "SOAP 1.1" : "SOAP 1.2"), env_(e),
          principal_url_(e.base + "/Remote/Services88/SoPrincipal.svc"),
          user_url_(e.base + "/Remote/Services88/User.svc"),
          fault_user_url_(e.fault_base + "/Remote/Services88/User.svc"),
          principal_(ctx), user_(ctx) {
        // The generated proxies default to the WSDL's (normalised) address; the real
        // endpoint is known only at run time.
        principal_.soap_endpoint = principal_url_.c_str();
        user_.soap_endpoint = user_url_.c_str();
    }

    void run() {
        // 1. Administrator log-in; the ticket comes from the body.
        std::string step = "1 log in as " + env_.admin_user;
        Login admin = login(env_.admin_user, env_.admin_password, step);
        expect(admin.succeeded, step, "AuthenticationSucceeded=" + admin.succeeded_text);
        expect(!admin.ticket.empty(), step, "no Credentials.Ticket in the body");
        expect(admin.succeeded_header == "true", step, "Succeeded header=" + admin.succeeded_header);
        // The SoPrincipalCarrier in the body, FunctionRights in the Arrays namespace included.
        expect(admin.associate == env_.admin_user, step, "Response.Associate='" + admin.associate + "'");
        ok(step, "AuthenticationSucceeded=true, ticket received, Succeeded=true, Associate=" + admin.associate +
                     ", FunctionRights=[" + admin.rights + "]");

        // 2. Set the target's password.
        step = "2 SetPassword(" + std::to_string(env_.target_id) + ")";
        std::string password = new_password(soap_version_ == 1 ? "11" : "12");
        Outcome set = set_password(user_, admin.ticket, password, step);
        expect(set.call == SOAP_OK, step, set.error);
        expect(set.response == "true" && set.succeeded == "true", step,
               "Response=" + set.response + ", Succeeded=" + set.succeeded);
        ok(step, "Response=true, Succeeded=true");

        // 3. The new password works, the old one no longer does.
        step = "3 log in as " + env_.target_user + " with the new password";
        Login target = login(env_.target_user, password, step);
        expect(target.succeeded && !target.ticket.empty(), step,
               "AuthenticationSucceeded=" + target.succeeded_text);
        ok(step, "AuthenticationSucceeded=true");
        step = "3 log in as " + env_.target_user + " with the old password";
        Login old = login(env_.target_user, env_.target_password, step);
        expect(!old.succeeded && old.succeeded_text == "false", step,
               "AuthenticationSucceeded=" + old.succeeded_text);
        ok(step, "AuthenticationSucceeded=false");

        // A. The target changes its own password with its ticket T.
        step = "A ChangeOwnPassword as " + env_.target_user;
        std::string password2 = new_password(soap_version_ == 1 ? "11c" : "12c");
        Outcome own = change_own_password(target.ticket, password, password2, step);
        expect(own.call == SOAP_OK, step, own.error);
        expect(own.response == "true" && own.succeeded == "true", step,
               "Response=" + own.response + ", Succeeded=" + own.succeeded);
        ok(step, "Response=true, Succeeded=true");
        step = "A log in as " + env_.target_user + " with its own new password";
        Login relogin = login(env_.target_user, password2, step);
        expect(relogin.succeeded, step, "AuthenticationSucceeded=" + relogin.succeeded_text);
        ok(step, "AuthenticationSucceeded=true");
        step = "A log in as " + env_.target_user + " with the step-2 password";
        relogin = login(env_.target_user, password, step);
        expect(!relogin.succeeded && relogin.succeeded_text == "false", step,
               "AuthenticationSucceeded=" + relogin.succeeded_text);
        ok(step, "AuthenticationSucceeded=false");
        password = password2;  // the target's current password from here on
        step = "A ChangeOwnPassword as " + env_.target_user + " with a wrong OldPassword";
        own = change_own_password(target.ticket, new_password("w"), new_password("n"), step);
        expect(own.call == SOAP_OK, step, own.error);
        std::string want = std::string("'") + WRONG_PASSWORD + "'";
        expect(own.response == "false" && own.succeeded == "false" && own.exception_type == want, step,
               "Response=" + own.response + ", Succeeded=" + own.succeeded + ", ExceptionType=" + own.exception_type);
        ok(step, "Response=false, Succeeded=false, ExceptionType=" + std::string(WRONG_PASSWORD) +
                     " (ticket T still valid)");

        // B. The policy verdict with its reason.
        step = "B IsPasswordValidWithReason(\"short\")";
        Outcome verdict = is_password_valid_with_reason(target.ticket, "short", step);
        expect(verdict.call == SOAP_OK, step, verdict.error);
        expect(verdict.succeeded == "true" && verdict.response == "false" && verdict.reason.size() > 2, step,
               "Succeeded=" + verdict.succeeded + ", Result=" + verdict.response + ", Reason=" + verdict.reason);
        ok(step, "Result=false, Reason=" + verdict.reason);
        step = "B IsPasswordValidWithReason(a long random password)";
        verdict = is_password_valid_with_reason(target.ticket, new_password("long", 32), step);
        expect(verdict.call == SOAP_OK, step, verdict.error);
        expect(verdict.succeeded == "true" && verdict.response == "true", step,
               "Succeeded=" + verdict.succeeded + ", Result=" + verdict.response + ", Reason=" + verdict.reason);
        ok(step, "Result=true, Reason=" + verdict.reason);

        // 4. A made-up ticket, then a revoked one (the target's, after another change).
        expect_invalid_ticket(BOGUS_TICKET, "4 SetPassword with a made-up ticket");
        step = "4 SetPassword(" + std::to_string(env_.target_id) + ") again by " + env_.admin_user;
        password = new_password("b");
        Outcome again = set_password(user_, admin.ticket, password, step);
        expect(again.call == SOAP_OK, step, again.error);
        expect(again.response == "true" && again.succeeded == "true", step,
               "Response=" + again.response + ", Succeeded=" + again.succeeded);
        ok(step, "Response=true, Succeeded=true");
        expect_invalid_ticket(target.ticket, "4 SetPassword with " + env_.target_user + "'s revoked ticket");

        // 5. The faults-mode server answers the same error with a SOAP fault.
        step = "5 SetPassword with a made-up ticket against NS_FAULT_BASE";
        UserProxy faulting(ctx_);
        faulting.soap_endpoint = fault_user_url_.c_str();
        Outcome fault = set_password(faulting, BOGUS_TICKET, new_password("f"), step);
        expect(fault.call == SOAP_FAULT, step, "expected SOAP_FAULT, got " + fault.error);
        const char *reason = faulting.soap_fault_string();
        const char *subcode = faulting.soap_fault_subcode();
        const char **code_ptr = soap_faultcode(ctx_);
        std::string code = code_ptr != nullptr && *code_ptr != nullptr ? *code_ptr : "?";
        std::string type = exception_type_in(faulting.soap_fault_detail());
        expect(type == INVALID_TICKET, step,
               "fault " + code + " '" + (reason ? reason : "") + "', ExceptionType=" + type);
        ok(step, "HTTP " + std::to_string(ctx_->status) + " fault " + code +
                     (ctx_->version == 2 && subcode ? std::string(" / ") + subcode : std::string()) +
                     ", reason present=" + (reason && *reason ? "yes" : "no") + ", ExceptionType=" + type);
    }

    int passed() const { return passed_; }

  private:
    struct Login {
        bool succeeded = false;
        std::string succeeded_text = "absent", ticket, succeeded_header = "absent", associate, rights;
    };
    struct Outcome {
        int call = SOAP_OK;
        // response: the body's boolean (Response, or Response.Result for a UserValidationResult)
        std::string error, response = "absent", succeeded = "absent", exception_type = "absent", reason = "absent";
    };

    void ok(const std::string &step, const std::string &detail) {
        ++passed_;
        std::printf("PASS %s %s: %s\n", label_.c_str(), step.c_str(), detail.c_str());
        std::fflush(stdout);
    }

    void expect(bool cond, const std::string &step, const std::string &detail) {
        if (!cond) throw Failed(label_ + " " + step + ": " + detail);
    }

    std::string describe_error() {
        char buf[1024];
        soap_sprint_fault(ctx_, buf, sizeof buf);
        std::string s = "gSOAP error " + std::to_string(ctx_->error) + " (HTTP " + std::to_string(ctx_->status) + "): " + buf;
        for (char &c : s)
            if (c == '\n') c = ' ';
        return s;
    }

    // The generated send_*() of each binding's proxy sets its SOAP version; the answer's
    // envelope (ctx->version after the call) must be of the same version.
    void same_version(const std::string &step) {
        expect(ctx_->version == soap_version_, step,
               "sent SOAP " + std::string(soap_version_ == 1 ? "1.1" : "1.2") + ", answer's envelope is version " +
                   std::to_string(ctx_->version));
    }

    // Before every call: the request headers (ApplicationToken, optionally Credentials) and
    // nothing else. After a call ctx->header holds the *response* headers, which gSOAP
    // would otherwise send back with the next request.
    template <class Proxy>
    void headers(Proxy &proxy, ns1__SoCredentials *credentials) {
        app_token_ = APP_TOKEN;
        proxy.soap_header(&app_token_, credentials, nullptr, nullptr, nullptr, nullptr);
    }

    Login login(const std::string &name, const std::string &password, const std::string &step) {
        headers(principal_, nullptr);
        _ns1__AuthenticateUsernamePassword request;
        std::string n = name, p = password;
        request.UserName = &n;
        request.Password = &p;
        _ns1__AuthenticateResponse response;
        if (principal_.AuthenticateUsernamePassword(&request, response) != SOAP_OK)
            throw Failed(label_ + " " + step + ": " + describe_error());
        same_version(step);
        Login out;
        if (response.AuthenticationSucceeded != nullptr) {
            out.succeeded = *response.AuthenticationSucceeded;
            out.succeeded_text = *response.AuthenticationSucceeded ? "true" : "false";
        }
        if (response.Credentials != nullptr && response.Credentials->Ticket != nullptr)
            out.ticket = *response.Credentials->Ticket;
        if (response.Response != nullptr) {
            if (response.Response->Associate != nullptr) out.associate = *response.Response->Associate;
            if (response.Response->FunctionRights != nullptr)
                for (const std::string &right : response.Response->FunctionRights->string)
                    out.rights += (out.rights.empty() ? "" : ",") + right;
        }
        if (ctx_->header != nullptr) out.succeeded_header = show_bool(ctx_->header->ns1__Succeeded);
        return out;
    }

    template <class Proxy>
    Outcome set_password(Proxy &proxy, const std::string &ticket, const std::string &password,
                         const std::string &step) {
        ns1__SoCredentials credentials;
        std::string t = ticket;
        credentials.Ticket = &t;
        headers(proxy, &credentials);
        _ns1__SetPassword request;
        int id = env_.target_id;
        std::string p = password;
        request.AssociateId = &id;
        request.Password = &p;
        _ns1__SetPasswordResponse response;
        Outcome out = finish(proxy.SetPassword(&request, response), step);
        if (out.call == SOAP_OK) out.response = show_bool(response.Response);
        return out;
    }

    Outcome change_own_password(const std::string &ticket, const std::string &old_password,
                                const std::string &new_password, const std::string &step) {
        ns1__SoCredentials credentials;
        std::string t = ticket, o = old_password, n = new_password;
        credentials.Ticket = &t;
        headers(user_, &credentials);
        _ns1__ChangeOwnPassword request;
        request.OldPassword = &o;
        request.NewPassword = &n;
        _ns1__ChangeOwnPasswordResponse response;
        Outcome out = finish(user_.ChangeOwnPassword(&request, response), step);
        if (out.call == SOAP_OK) out.response = show_bool(response.Response);
        return out;
    }

    Outcome is_password_valid_with_reason(const std::string &ticket, const std::string &candidate,
                                          const std::string &step) {
        ns1__SoCredentials credentials;
        std::string t = ticket, p = candidate;
        credentials.Ticket = &t;
        headers(user_, &credentials);
        _ns1__IsPasswordValidWithReason request;
        int id = env_.target_id, person = 0;
        enum ns1__UserType type = ns1__UserType__InternalAssociate;
        request.AssociateId = &id;
        request.Type = &type;
        request.PersonId = &person;
        request.Password = &p;
        _ns1__IsPasswordValidWithReasonResponse response;
        Outcome out = finish(user_.IsPasswordValidWithReason(&request, response), step);
        if (out.call == SOAP_OK && response.Response != nullptr) {
            out.response = show_bool(response.Response->Result);
            out.reason = show_str(response.Response->Reason);
        }
        return out;
    }

    // After a call: its status (with the error text) and the Succeeded and
    // ExceptionInfo.ExceptionType output headers.
    Outcome finish(int call, const std::string &step) {
        Outcome out;
        out.call = call;
        same_version(step);
        if (call != SOAP_OK) {
            out.error = describe_error();
            return out;
        }
        if (ctx_->header != nullptr) {
            out.succeeded = show_bool(ctx_->header->ns1__Succeeded);
            if (ctx_->header->ns1__ExceptionInfo != nullptr)
                out.exception_type = show_str(ctx_->header->ns1__ExceptionInfo->ExceptionType);
        }
        return out;
    }

    void expect_invalid_ticket(const std::string &ticket, const std::string &step) {
        Outcome out = set_password(user_, ticket, new_password("x"), step);
        expect(out.call == SOAP_OK, step, out.error);
        std::string want = std::string("'") + INVALID_TICKET + "'";
        expect(out.response == "false" && out.succeeded == "false" && out.exception_type == want, step,
               "Response=" + out.response + ", Succeeded=" + out.succeeded + ", ExceptionType=" + out.exception_type);
        ok(step, "Response=false, Succeeded=false, ExceptionType=" + std::string(INVALID_TICKET));
    }

    struct soap *ctx_;
    int soap_version_;
    std::string label_;
    const Env &env_;
    std::string principal_url_, user_url_, fault_user_url_, app_token_;
    PrincipalProxy principal_;
    UserProxy user_;
    int passed_ = 0;
};

template <class PrincipalProxy, class UserProxy>
int drive(struct soap *ctx, int version, const Env &e) {
    Driver<PrincipalProxy, UserProxy> driver(ctx, version, e);
    try {
        driver.run();
    } catch (const Failed &failure) {
        std::printf("FAIL %s\n", failure.what());
        std::printf("gsoap: %d passed, 1 failed\n", driver.passed());
        return 1;
    }
    std::printf("gsoap: %d passed, 0 failed\n", driver.passed());
    return 0;
}

}  // namespace

int main(int argc, char **argv) {
    if (argc != 2 || (std::strcmp(argv[1], "11") != 0 && std::strcmp(argv[1], "12") != 0)) {
        std::fprintf(stderr, "usage: %s 11|12\n", argv[0]);
        return 2;
    }
    int version = std::atoi(argv[1]);
    Env e;
    e.base = trim_slash(env("NS_BASE"));
    e.fault_base = trim_slash(env("NS_FAULT_BASE"));
    e.admin_user = env("NS_ADMIN_USER");
    e.admin_password = env("NS_ADMIN_PASSWORD");
    e.target_user = env("NS_TARGET_USER");
    e.target_password = env("NS_TARGET_PASSWORD");
    e.target_id = std::atoi(env("NS_TARGET_ID").c_str());

    // SOAP_C_UTFSTRING: std::string holds UTF-8 and goes on the wire unchanged (without it
    // gSOAP takes 8-bit chars as Latin-1 and would encode `é` twice, as C3 83 C2 A9).
    // SOAP_XML_STRICT: answers are validated against the generated schema types (unknown
    // or misplaced elements, missing required ones and bad values are errors, not skipped).
    struct soap *ctx = soap_new1(SOAP_C_UTFSTRING | SOAP_XML_STRICT);
    ctx->connect_timeout = 10;
    ctx->send_timeout = ctx->recv_timeout = 60;
    std::printf("gSOAP %d.%d.%d, SOAP %c.%c, against %s\n", GSOAP_VERSION / 100000, GSOAP_VERSION / 1000 % 100,
                GSOAP_VERSION % 1000, argv[1][0], argv[1][1], e.base.c_str());
    int rc = version == 11
                 ? drive<BasicHttpBinding_USCORESoPrincipalProxy, BasicHttpBinding_USCOREUserProxy>(ctx, version, e)
                 : drive<BasicHttpBinding_USCORESoPrincipal_USCORESoap12Proxy,
                         BasicHttpBinding_USCOREUser_USCORESoap12Proxy>(ctx, version, e);
    soap_destroy(ctx);
    soap_end(ctx);
    soap_free(ctx);
    return rc;
}
