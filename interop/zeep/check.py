#!/usr/bin/env python3
"""Interop check: drive a running netserver with the zeep SOAP client (4.3.3).

    python interop/zeep_check.py BASE_URL ADMIN_USER ADMIN_PASSWORD TARGET_USER TARGET_ID

BASE_URL is like http://127.0.0.1:8080. The script loads the served WSDL of
SoPrincipal.svc and User.svc and, once over the SOAP 1.1 binding
(BasicHttpBinding_*) and once over the SOAP 1.2 binding (BasicHttpBinding_*_Soap12):

  * logs in as the administrator and takes the ticket from the response body;
  * sets a new password for TARGET_ID (twice, so that an "old password" is known)
    and checks the body Response and the Succeeded header;
  * logs in as TARGET_USER with the new password (must succeed) and with the
    previous one (must fail);
  * calls SetPassword with a made-up ticket: Response false, Succeeded false and
    ExceptionInfo.ExceptionType 'SoInvalidTicketException'.

The target's password is left at the last (random) one set and is not printed.
If ZEEP_CHECK_APP_TOKEN is set, it is sent as the ApplicationToken header.
Prints one line per step and `zeep: N passed, M failed` last; exits 1 on the
first failure, 2 on bad usage.
"""

import os
import secrets
import sys

import zeep
from zeep.transports import Transport

NS = "http://www.superoffice.net/ws/crm/NetServer/Services88"
BOGUS_TICKET = "7T:bm9wZQ=="
VERSIONS = (("SOAP 1.1", ""), ("SOAP 1.2", "_Soap12"))


class CheckFailed(Exception):
    pass


class Counter:
    def __init__(self):
        self.passed = 0

    def ok(self, label, detail=""):
        self.passed += 1
        print(f"PASS {label}" + (f": {detail}" if detail else ""), flush=True)


def split(result):
    """zeep returns an object with .body and .header when the output message has
    headers; without headers it returns the body (or its only child) directly."""
    if result is not None and hasattr(result, "body") and hasattr(result, "header"):
        return result.body, result.header
    return result, None


def field(obj, name):
    if obj is None:
        return None
    try:
        return obj[name]
    except (KeyError, TypeError, AttributeError):
        return getattr(obj, name, None)


def expect(cond, label, detail):
    if not cond:
        raise CheckFailed(f"{label}: {detail}")


def new_password(tag):
    # Mixed character classes, plus XML-special characters to exercise escaping.
    return f"Zp{tag}&<{secrets.token_urlsafe(9)}>9!"


def main(argv):
    if len(argv) != 6:
        print("usage: zeep_check.py BASE_URL ADMIN_USER ADMIN_PASSWORD TARGET_USER TARGET_ID", file=sys.stderr)
        return 2
    base, admin_user, admin_password, target_user, target_id = argv[1:]
    try:
        target_id = int(target_id)
    except ValueError:
        print(f"TARGET_ID must be an integer, got {target_id!r}", file=sys.stderr)
        return 2
    base = base.rstrip("/")
    app_token = os.environ.get("ZEEP_CHECK_APP_TOKEN")
    count = Counter()
    current = None  # the target's password as last set by this script
    print(f"zeep {zeep.__version__} against {base}", flush=True)
    try:
        transport = Transport(timeout=30, operation_timeout=60)
        urls = {
            svc: f"{base}/Remote/Services88/{svc}.svc" for svc in ("SoPrincipal", "User")
        }
        clients = {}
        for svc, url in urls.items():
            try:
                clients[svc] = zeep.Client(f"{url}?wsdl", transport=transport)
            except Exception as exc:  # noqa: BLE001 - report any load failure
                raise CheckFailed(f"load {url}?wsdl: {type(exc).__name__}: {exc}") from exc
            count.ok(f"load {svc}.svc?wsdl")

        for version, suffix in VERSIONS:
            principal = clients["SoPrincipal"].create_service(
                f"{{{NS}}}BasicHttpBinding_SoPrincipal{suffix}", urls["SoPrincipal"]
            )
            user = clients["User"].create_service(
                f"{{{NS}}}BasicHttpBinding_User{suffix}", urls["User"]
            )
            app_headers = {"ApplicationToken": app_token} if app_token else {}

            def authenticate(name, password, label):
                try:
                    result = principal.AuthenticateUsernamePassword(
                        UserName=name, Password=password, _soapheaders=app_headers or None
                    )
                except Exception as exc:  # noqa: BLE001
                    raise CheckFailed(f"{label}: call failed: {type(exc).__name__}: {exc}") from exc
                return split(result)

            def set_password(ticket, password, label):
                headers = dict(app_headers)
                headers["Credentials"] = {"Ticket": ticket}
                try:
                    result = user.SetPassword(
                        AssociateId=target_id, Password=password, _soapheaders=headers
                    )
                except Exception as exc:  # noqa: BLE001
                    raise CheckFailed(f"{label}: call failed: {type(exc).__name__}: {exc}") from exc
                return split(result)

            # Administrator log-in.
            label = f"{version} AuthenticateUsernamePassword({admin_user})"
            body, header = authenticate(admin_user, admin_password, label)
            succeeded = field(body, "AuthenticationSucceeded")
            expect(succeeded is True, label, f"AuthenticationSucceeded={succeeded!r}, header={header}")
            ticket = field(field(body, "Credentials"), "Ticket")
            expect(isinstance(ticket, str) and ticket.startswith("7T:"), label, f"ticket={ticket!r}")
            expect(field(header, "Succeeded") is True, label, f"Succeeded header={field(header, 'Succeeded')!r}")
            count.ok(label, "ticket received")

            tag = version.replace("SOAP ", "").replace(".", "")
            for step in ("a", "b"):
                previous, password = current, new_password(tag + step)

                label = f"{version} SetPassword({target_id}) #{step}"
                body, header = set_password(ticket, password, label)
                response = field(body, "Response")
                expect(response is True, label, f"Response={response!r}, header={header}")
                expect(field(header, "Succeeded") is True, label, f"Succeeded header={field(header, 'Succeeded')!r}")
                current = password
                count.ok(label, "Response=True, Succeeded=True")

                label = f"{version} log-in as {target_user} with the new password #{step}"
                body, header = authenticate(target_user, password, label)
                succeeded = field(body, "AuthenticationSucceeded")
                expect(succeeded is True, label, f"AuthenticationSucceeded={succeeded!r}, header={header}")
                count.ok(label)

                if previous is not None:
                    label = f"{version} log-in as {target_user} with the old password"
                    body, header = authenticate(target_user, previous, label)
                    succeeded = field(body, "AuthenticationSucceeded")
                    expect(succeeded is False, label, f"AuthenticationSucceeded={succeeded!r}, header={header}")
                    count.ok(label, "refused")

            label = f"{version} SetPassword with a made-up ticket"
            body, header = set_password(BOGUS_TICKET, new_password(tag + "x"), label)
            response = field(body, "Response")
            expect(response is False, label, f"Response={response!r}, header={header}")
            expect(field(header, "Succeeded") is False, label, f"Succeeded header={field(header, 'Succeeded')!r}")
            exc_type = field(field(header, "ExceptionInfo"), "ExceptionType")
            expect(exc_type == "SoInvalidTicketException", label, f"ExceptionType={exc_type!r}, header={header}")
            count.ok(label, "SoInvalidTicketException")
    except CheckFailed as failure:
        print(f"FAIL {failure}", flush=True)
        print(f"zeep: {count.passed} passed, 1 failed")
        return 1

    print(f"zeep: {count.passed} passed, 0 failed")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
