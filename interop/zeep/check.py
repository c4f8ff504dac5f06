#!/usr/bin/env python3
"""Interop check: drive a running netserver with the zeep SOAP client (4.3.3).

    check.py --version 11|12

Reads the runner's variables (see interop/run): NS_BASE, NS_ADMIN_USER,
NS_ADMIN_PASSWORD, NS_TARGET_USER, NS_TARGET_ID, NS_TARGET_PASSWORD and, optionally,
NS_FAULT_BASE. Loads the served WSDL of SoPrincipal.svc and User.svc and uses the
SOAP 1.1 binding (BasicHttpBinding_*) or the SOAP 1.2 one (BasicHttpBinding_*_Soap12):

  1. logs in as the administrator and takes the ticket from the response body;
  2. sets a new password (with `&<>` and a non-ASCII letter) for NS_TARGET_ID and
     checks the body Response and the Succeeded output header;
  3. logs in as NS_TARGET_USER with the new password (must succeed, its ticket T is kept)
     and with NS_TARGET_PASSWORD (must fail);
  A. as the target (ticket T): ChangeOwnPassword(step-2 password -> a new one): Response
     and Succeeded true; log-in with the new one succeeds, with the step-2 one fails;
     ChangeOwnPassword with a wrong OldPassword: Response false, Succeeded false and the
     ExceptionInfo header's ExceptionType SoWrongPasswordException (which also shows T is
     still valid after the target changed its own password);
  B. IsPasswordValidWithReason(NS_TARGET_ID, InternalAssociate, 0, "short"): Result false
     with a non-empty Reason (printed); with a long random password: Result true;
  4. SetPassword with a made-up ticket: Response false, Succeeded header false and the
     ExceptionInfo header's ExceptionType SoInvalidTicketException (zeep exposes output
     headers, so this uses NS_BASE); then the administrator sets the target's password
     again, which revokes the target's ticket T, and a SetPassword with T must fail the
     same way;
  5. only if NS_FAULT_BASE is set: a made-up ticket against the faults-mode server must
     raise zeep's Fault with the ExceptionType in the detail's ExceptionInfo.

Prints one line per step (never a password or ticket) and `zeep: N passed, M failed`
last; exits 0 when all passed, 1 on the first failure, 2 on bad usage.
"""

import argparse
import os
import secrets
import sys

import zeep
from zeep.exceptions import Fault
from zeep.transports import Transport

NS = "http://www.superoffice.net/ws/crm/NetServer/Services88"
BOGUS_TICKET = "7T:bm9wZQ=="
INVALID_TICKET = "SoInvalidTicketException"
WRONG_PASSWORD = "SoWrongPasswordException"


class CheckFailed(Exception):
    pass


def split(result):
    """zeep returns an object with .body and .header when the output message has
    header parts (ours all have); otherwise the body itself."""
    if result is not None and hasattr(result, "body") and hasattr(result, "header"):
        return result.body, result.header
    return result, None


def field(obj, name):
    if obj is None:
        return None
    try:
        return obj[name]
    except (KeyError, TypeError, AttributeError, IndexError):
        return getattr(obj, name, None)


def new_password(tag):
    # >= 8 characters, XML-special characters and a non-ASCII letter to exercise escaping
    # and UTF-8 on both sides.
    return f"Zé{tag}&<{secrets.token_urlsafe(6)}>9!"


def env(name):
    value = os.environ.get(name)
    if not value:
        print(f"{name} is not set (see interop/run)", file=sys.stderr)
        sys.exit(2)
    return value


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--version", choices=("11", "12"), required=True)
    args = parser.parse_args()
    suffix = "" if args.version == "11" else "_Soap12"
    label_version = "SOAP 1.1" if args.version == "11" else "SOAP 1.2"

    base = env("NS_BASE").rstrip("/")
    fault_base = os.environ.get("NS_FAULT_BASE", "").rstrip("/")
    admin_user, admin_password = env("NS_ADMIN_USER"), env("NS_ADMIN_PASSWORD")
    target_user, target_password = env("NS_TARGET_USER"), env("NS_TARGET_PASSWORD")
    target_id = int(env("NS_TARGET_ID"))

    passed = 0

    def ok(step, detail=""):
        nonlocal passed
        passed += 1
        print(f"PASS {label_version} {step}" + (f": {detail}" if detail else ""), flush=True)

    def expect(cond, step, detail):
        if not cond:
            raise CheckFailed(f"{label_version} {step}: {detail}")

    print(f"zeep {zeep.__version__}, {label_version}, against {base}", flush=True)
    try:
        transport = Transport(timeout=30, operation_timeout=60)
        clients = {}
        for svc in ("SoPrincipal", "User"):
            wsdl = f"{base}/Remote/Services88/{svc}.svc?wsdl"
            try:
                clients[svc] = zeep.Client(wsdl, transport=transport)
            except Exception as exc:  # noqa: BLE001 - report any load failure
                raise CheckFailed(f"load {wsdl}: {type(exc).__name__}: {exc}") from exc
        ok("load the served WSDLs")

        def service(svc, at):
            binding = f"{{{NS}}}BasicHttpBinding_{svc}{suffix}"
            return clients[svc].create_service(binding, f"{at}/Remote/Services88/{svc}.svc")

        principal = service("SoPrincipal", base)
        user = service("User", base)

        def authenticate(name, password, step):
            try:
                result = principal.AuthenticateUsernamePassword(UserName=name, Password=password)
            except Exception as exc:  # noqa: BLE001
                raise CheckFailed(f"{label_version} {step}: {type(exc).__name__}: {exc}") from exc
            body, header = split(result)
            succeeded = field(body, "AuthenticationSucceeded")
            ticket = field(field(body, "Credentials"), "Ticket")
            return succeeded, ticket, header

        def call(op, ticket, step, svc=None, **params):
            """A User.svc operation with the ticket in the Credentials header; returns the
            body's Response and the output headers."""
            try:
                result = getattr(svc or user, op)(**params, _soapheaders={"Credentials": {"Ticket": ticket}})
            except Exception as exc:  # noqa: BLE001
                raise CheckFailed(f"{label_version} {step}: {type(exc).__name__}: {exc}") from exc
            body, header = split(result)
            return field(body, "Response"), header

        def set_password(ticket, password, step, svc=None):
            return call("SetPassword", ticket, step, svc, AssociateId=target_id, Password=password)

        def expect_invalid_ticket(ticket, step):
            response, header = set_password(ticket, new_password("x"), step)
            succeeded = field(header, "Succeeded")
            exc_type = field(field(header, "ExceptionInfo"), "ExceptionType")
            expect(
                response is False and succeeded is False and exc_type == INVALID_TICKET,
                step,
                f"Response={response!r}, Succeeded={succeeded!r}, ExceptionType={exc_type!r}",
            )
            ok(step, f"Response=False, Succeeded=False, ExceptionType={exc_type}")

        # 1. Administrator log-in; the ticket comes from the body.
        step = f"1 log in as {admin_user}"
        succeeded, admin_ticket, header = authenticate(admin_user, admin_password, step)
        expect(succeeded is True, step, f"AuthenticationSucceeded={succeeded!r}")
        expect(isinstance(admin_ticket, str) and admin_ticket, step, "no Credentials.Ticket")
        expect(field(header, "Succeeded") is True, step, f"Succeeded header={field(header, 'Succeeded')!r}")
        ok(step, "AuthenticationSucceeded=True, ticket received, Succeeded=True")

        # 2. Set the target's password.
        step = f"2 SetPassword({target_id})"
        password = new_password(args.version)
        response, header = set_password(admin_ticket, password, step)
        succeeded = field(header, "Succeeded")
        expect(response is True and succeeded is True, step, f"Response={response!r}, Succeeded={succeeded!r}")
        ok(step, "Response=True, Succeeded=True")

        # 3. The new password works, the old one no longer does.
        step = f"3 log in as {target_user} with the new password"
        succeeded, target_ticket, _ = authenticate(target_user, password, step)
        expect(succeeded is True and target_ticket, step, f"AuthenticationSucceeded={succeeded!r}")
        ok(step, "AuthenticationSucceeded=True")
        step = f"3 log in as {target_user} with the old password"
        succeeded, _, _ = authenticate(target_user, target_password, step)
        expect(succeeded is False, step, f"AuthenticationSucceeded={succeeded!r}")
        ok(step, "AuthenticationSucceeded=False")

        # A. The target changes its own password with its ticket T.
        step = f"A ChangeOwnPassword as {target_user}"
        password2 = new_password(args.version + "c")
        response, header = call("ChangeOwnPassword", target_ticket, step, OldPassword=password, NewPassword=password2)
        succeeded = field(header, "Succeeded")
        expect(response is True and succeeded is True, step, f"Response={response!r}, Succeeded={succeeded!r}")
        ok(step, "Response=True, Succeeded=True")
        step = f"A log in as {target_user} with its own new password"
        succeeded, _, _ = authenticate(target_user, password2, step)
        expect(succeeded is True, step, f"AuthenticationSucceeded={succeeded!r}")
        ok(step, "AuthenticationSucceeded=True")
        step = f"A log in as {target_user} with the step-2 password"
        succeeded, _, _ = authenticate(target_user, password, step)
        expect(succeeded is False, step, f"AuthenticationSucceeded={succeeded!r}")
        ok(step, "AuthenticationSucceeded=False")
        password = password2
        step = f"A ChangeOwnPassword as {target_user} with a wrong OldPassword"
        response, header = call(
            "ChangeOwnPassword", target_ticket, step, OldPassword=new_password("w"), NewPassword=new_password("n")
        )
        succeeded = field(header, "Succeeded")
        exc_type = field(field(header, "ExceptionInfo"), "ExceptionType")
        expect(
            response is False and succeeded is False and exc_type == WRONG_PASSWORD,
            step,
            f"Response={response!r}, Succeeded={succeeded!r}, ExceptionType={exc_type!r}",
        )
        ok(step, f"Response=False, Succeeded=False, ExceptionType={exc_type} (ticket T still valid)")

        # B. The policy verdict with its reason (Type is the UserType enumeration).
        def validity(candidate, step):
            response, header = call(
                "IsPasswordValidWithReason", target_ticket, step,
                AssociateId=target_id, Type="InternalAssociate", PersonId=0, Password=candidate,
            )
            succeeded = field(header, "Succeeded")
            expect(succeeded is True, step, f"Succeeded={succeeded!r}")
            return field(response, "Result"), field(response, "Reason")

        step = "B IsPasswordValidWithReason(\"short\")"
        result, reason = validity("short", step)
        expect(result is False and isinstance(reason, str) and reason, step, f"Result={result!r}, Reason={reason!r}")
        ok(step, f"Result=False, Reason={reason!r}")
        step = "B IsPasswordValidWithReason(a long random password)"
        result, reason = validity(new_password("long") + secrets.token_urlsafe(24), step)
        expect(result is True, step, f"Result={result!r}, Reason={reason!r}")
        ok(step, f"Result=True, Reason={reason!r}")

        # 4. A made-up ticket, then a revoked one (the target's, after another change).
        expect_invalid_ticket(BOGUS_TICKET, "4 SetPassword with a made-up ticket")
        step = f"4 SetPassword({target_id}) again by {admin_user}"
        response, header = set_password(admin_ticket, new_password(args.version + "b"), step)
        succeeded = field(header, "Succeeded")
        expect(response is True and succeeded is True, step, f"Response={response!r}, Succeeded={succeeded!r}")
        ok(step, "Response=True, Succeeded=True")
        expect_invalid_ticket(target_ticket, f"4 SetPassword with {target_user}'s revoked ticket")

        # 5. The faults-mode server: zeep raises Fault with the ExceptionInfo detail.
        if fault_base:
            step = "5 SetPassword with a made-up ticket against NS_FAULT_BASE"
            try:
                set_password(BOGUS_TICKET, new_password("f"), step, svc=service("User", fault_base))
                raise CheckFailed(f"{label_version} {step}: no Fault raised")
            except CheckFailed as failure:
                if not isinstance(failure.__cause__, Fault):
                    raise
                fault = failure.__cause__
            detail = fault.detail
            types = detail.findall(f".//{{{NS}}}ExceptionInfo/{{{NS}}}ExceptionType") if detail is not None else []
            exc_type = types[0].text if types else None
            expect(exc_type == INVALID_TICKET, step, f"Fault {fault.code!r} {fault.message!r}, ExceptionType={exc_type!r}")
            ok(step, f"Fault {fault.code}, ExceptionType={exc_type}")
    except CheckFailed as failure:
        print(f"FAIL {failure}", flush=True)
        print(f"zeep: {passed} passed, 1 failed")
        return 1

    print(f"zeep: {passed} passed, 0 failed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
