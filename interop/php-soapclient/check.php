<?php
// Interop check: PHP SoapClient (ext-soap, PHP 8.2) against a running netserver.
//
//   php check.php 11|12
//
// Reads NS_BASE, NS_FAULT_BASE, NS_ADMIN_USER, NS_ADMIN_PASSWORD, NS_TARGET_USER,
// NS_TARGET_ID, NS_TARGET_PASSWORD from the environment (see interop/run). Both clients
// are built from the served ?wsdl; the SOAP version is chosen with 'soap_version'.
// Prints one PASS/FAIL line per step (never a password or a ticket); exits 0 if all
// pass, 1 otherwise.

const NS = 'http://www.superoffice.net/ws/crm/NetServer/Services88';
const BOGUS_TICKET = '7T:bm9wZQ==';

class CheckFailed extends Exception {}

function env(string $name): string {
    $v = getenv($name);
    if ($v === false || $v === '') { fwrite(STDERR, "missing env $name\n"); exit(2); }
    return $v;
}

$version = $argv[1] ?? '';
if ($version !== '11' && $version !== '12') { fwrite(STDERR, "usage: check.php 11|12\n"); exit(2); }
$soapVersion = $version === '12' ? SOAP_1_2 : SOAP_1_1;
$label = $version === '12' ? 'SOAP 1.2' : 'SOAP 1.1';
$base = rtrim(env('NS_BASE'), '/');
$faultBase = rtrim(env('NS_FAULT_BASE'), '/');
$targetId = (int) env('NS_TARGET_ID');
$targetUser = env('NS_TARGET_USER');

// A client for one service, generated from the served WSDL (no WSDL cache, so the
// server's current WSDL is what is tested). $location overrides the WSDL's address.
function client(string $base, string $svc, int $soapVersion, ?string $location = null): SoapClient {
    $opts = [
        'soap_version' => $soapVersion,
        'cache_wsdl' => WSDL_CACHE_NONE,
        'exceptions' => true,
        'trace' => true,
        'encoding' => 'UTF-8',
        'connection_timeout' => 30,
    ];
    if ($location !== null) { $opts['location'] = $location; }
    return new SoapClient("$base/Remote/Services88/$svc.svc?wsdl", $opts);
}

// Calls an operation and returns [body, outputHeaders]. SoapFault propagates.
function call(SoapClient $c, string $op, array $params, array $headers = []): array {
    $out = [];
    $body = $c->__soapCall($op, [$params], null, $headers, $out);
    return [$body, $out];
}

function credentials(string $ticket): SoapHeader {
    return new SoapHeader(NS, 'Credentials', ['Ticket' => $ticket]);
}

// Short, secret-free description of what came back, for FAIL lines.
function shape($body, array $headers): string {
    $h = [];
    foreach ($headers as $k => $v) {
        $h[] = $k . '=' . (is_bool($v) ? var_export($v, true) : (is_object($v) ? 'object' : gettype($v)));
    }
    $b = is_object($body) ? implode(',', array_keys(get_object_vars($body))) : gettype($body);
    return "body{{$b}} headers{" . implode(',', $h) . "}";
}

function expect(bool $cond, string $what): void {
    if (!$cond) { throw new CheckFailed($what); }
}

$passed = 0;
$failed = 0;
function step(string $name, callable $fn): void {
    global $passed, $failed, $label;
    try {
        $detail = $fn();
        $passed++;
        echo "PASS $label $name" . ($detail ? ": $detail" : '') . "\n";
    } catch (CheckFailed $e) {
        $failed++;
        echo "FAIL $label $name: " . $e->getMessage() . "\n";
    } catch (SoapFault $e) {
        $failed++;
        echo "FAIL $label $name: SoapFault {$e->faultcode}: {$e->getMessage()}\n";
    } catch (Throwable $e) {
        $failed++;
        echo "FAIL $label $name: " . get_class($e) . ': ' . $e->getMessage() . "\n";
    }
}

// New passwords: XML-special characters and non-ASCII (é, ü) to exercise escaping/UTF-8.
function newPassword(string $tag): string {
    return "Pé&<$tag>" . bin2hex(random_bytes(4)) . 'ü!';
}

$principal = null; $user = null; $userFaults = null;
$adminTicket = null; $targetTicket = null;

step('load SoPrincipal.svc?wsdl and User.svc?wsdl', function () use (&$principal, &$user, &$userFaults, $base, $faultBase, $soapVersion) {
    $principal = client($base, 'SoPrincipal', $soapVersion);
    $user = client($base, 'User', $soapVersion);
    // Same WSDL, but calls go to the server that answers application errors with faults.
    $userFaults = client($base, 'User', $soapVersion, "$faultBase/Remote/Services88/User.svc");
    return 'ops: ' . count($principal->__getFunctions()) . ' + ' . count($user->__getFunctions());
});
if (!$principal || !$user) { echo "php-soapclient: $passed passed, $failed failed\n"; exit(1); }

$login = function (string $name, string $password) use ($principal): array {
    return call($principal, 'AuthenticateUsernamePassword', ['UserName' => $name, 'Password' => $password]);
};
$setPassword = function (SoapClient $c, string $ticket, string $password) use ($targetId): array {
    return call($c, 'SetPassword', ['AssociateId' => $targetId, 'Password' => $password], [credentials($ticket)]);
};
// Checks the Succeeded=false + ExceptionInfo headers of a refused SetPassword.
$expectInvalidTicket = function (array $r): string {
    [$body, $h] = $r;
    expect(is_object($body) && ($body->Response ?? null) === false, 'Response is not false: ' . shape($body, $h));
    expect(($h['Succeeded'] ?? null) === false, 'Succeeded header is not false: ' . shape($body, $h));
    $info = $h['ExceptionInfo'] ?? null;
    expect(is_object($info), 'no ExceptionInfo header: ' . shape($body, $h));
    expect(($info->ExceptionType ?? null) === 'SoInvalidTicketException',
        'ExceptionType=' . var_export($info->ExceptionType ?? null, true));
    return 'Response=false, Succeeded=false, ExceptionType=SoInvalidTicketException';
};

// 1. Administrator log-in; the ticket comes from the response body.
step('1 AuthenticateUsernamePassword(admin)', function () use ($login, &$adminTicket) {
    [$body, $h] = $login(env('NS_ADMIN_USER'), env('NS_ADMIN_PASSWORD'));
    expect(is_object($body) && ($body->AuthenticationSucceeded ?? null) === true, 'AuthenticationSucceeded not true: ' . shape($body, $h));
    $t = $body->Credentials->Ticket ?? null;
    expect(is_string($t) && $t !== '', 'no Credentials.Ticket in the body');
    expect(($h['Succeeded'] ?? null) === true, 'Succeeded header not true: ' . shape($body, $h));
    $adminTicket = $t;
    return 'AuthenticationSucceeded=true, ticket received, Succeeded=true';
});
if ($adminTicket === null) { echo "php-soapclient: $passed passed, $failed failed\n"; exit(1); }

// 2. SetPassword with the admin's ticket in the Credentials header.
$pw1 = newPassword('a');
step('2 SetPassword(target) with the admin ticket', function () use ($setPassword, $user, $adminTicket, $pw1) {
    [$body, $h] = $setPassword($user, $adminTicket, $pw1);
    expect(is_object($body) && ($body->Response ?? null) === true, 'Response not true: ' . shape($body, $h));
    expect(($h['Succeeded'] ?? null) === true, 'Succeeded header not true: ' . shape($body, $h));
    return 'Response=true, Succeeded=true';
});

// 3. The target logs in with the new password (its ticket is kept for step 4b), not the old one.
step('3a log-in as target with the new password', function () use ($login, $targetUser, $pw1, &$targetTicket) {
    [$body, $h] = $login($targetUser, $pw1);
    expect(is_object($body) && ($body->AuthenticationSucceeded ?? null) === true, 'AuthenticationSucceeded not true: ' . shape($body, $h));
    $t = $body->Credentials->Ticket ?? null;
    expect(is_string($t) && $t !== '', 'no Credentials.Ticket in the body');
    $targetTicket = $t;
    return 'AuthenticationSucceeded=true';
});
step('3b log-in as target with the old password', function () use ($login, $targetUser) {
    [$body, $h] = $login($targetUser, env('NS_TARGET_PASSWORD'));
    expect(is_object($body) && ($body->AuthenticationSucceeded ?? null) === false, 'AuthenticationSucceeded not false: ' . shape($body, $h));
    return 'AuthenticationSucceeded=false';
});

// A. The target changes its own password with its ticket T from 3a (T stays valid: the
// caller keeps its ticket), then logs in with new2 (yes) and with the step-2 password (no).
$pw2 = newPassword('c');
step('A1 ChangeOwnPassword(step-2 password -> new2) as target', function () use ($user, &$targetTicket, $pw1, $pw2) {
    expect($targetTicket !== null, 'no target ticket from step 3a');
    [$body, $h] = call($user, 'ChangeOwnPassword', ['OldPassword' => $pw1, 'NewPassword' => $pw2], [credentials($targetTicket)]);
    expect(is_object($body) && ($body->Response ?? null) === true, 'Response not true: ' . shape($body, $h));
    expect(($h['Succeeded'] ?? null) === true, 'Succeeded header not true: ' . shape($body, $h));
    return 'Response=true, Succeeded=true';
});
step('A2 log-in as target with new2 / with the step-2 password', function () use ($login, $targetUser, $pw1, $pw2) {
    [$body, $h] = $login($targetUser, $pw2);
    expect(is_object($body) && ($body->AuthenticationSucceeded ?? null) === true, 'new2: AuthenticationSucceeded not true: ' . shape($body, $h));
    [$body, $h] = $login($targetUser, $pw1);
    expect(is_object($body) && ($body->AuthenticationSucceeded ?? null) === false, 'step-2 password: AuthenticationSucceeded not false: ' . shape($body, $h));
    return 'new2: AuthenticationSucceeded=true; step-2 password: AuthenticationSucceeded=false';
});
// A wrong OldPassword, still with T (so T is also shown to be valid: the refusal is the
// password, not the ticket): Response=false + Succeeded=false + ExceptionInfo headers.
step('A3 ChangeOwnPassword with a wrong OldPassword (headers)', function () use ($user, &$targetTicket) {
    [$body, $h] = call($user, 'ChangeOwnPassword',
        ['OldPassword' => newPassword('wrong'), 'NewPassword' => newPassword('d')], [credentials($targetTicket)]);
    expect(is_object($body) && ($body->Response ?? null) === false, 'Response is not false: ' . shape($body, $h));
    expect(($h['Succeeded'] ?? null) === false, 'Succeeded header is not false: ' . shape($body, $h));
    $info = $h['ExceptionInfo'] ?? null;
    expect(is_object($info), 'no ExceptionInfo header: ' . shape($body, $h));
    expect(($info->ExceptionType ?? null) === 'SoWrongPasswordException',
        'ExceptionType=' . var_export($info->ExceptionType ?? null, true));
    return 'Response=false, Succeeded=false, ExceptionType=SoWrongPasswordException (ticket T still accepted)';
});
step('A4 ChangeOwnPassword with a wrong OldPassword (fault server)', function () use ($userFaults, &$targetTicket) {
    try {
        [$body, $h] = call($userFaults, 'ChangeOwnPassword',
            ['OldPassword' => newPassword('wrong'), 'NewPassword' => newPassword('e')], [credentials($targetTicket)]);
    } catch (SoapFault $f) {
        $info = is_object($f->detail ?? null) ? ($f->detail->ExceptionInfo ?? null) : null;
        $type = is_object($info) ? ($info->ExceptionType ?? null) : null;
        expect($type === 'SoWrongPasswordException', "fault {$f->faultcode} with ExceptionType " . var_export($type, true));
        return "SoapFault {$f->faultcode}: ExceptionType=SoWrongPasswordException";
    }
    throw new CheckFailed('no SoapFault: ' . shape($body, $h));
});

// B. The policy verdict with its reason: "short" is refused (reason printed, it is not
// secret), a long random password is accepted (empty reason).
$validity = function (string $password) use ($user, $adminTicket, $targetId): object {
    [$body, $h] = call($user, 'IsPasswordValidWithReason',
        ['AssociateId' => $targetId, 'Type' => 'InternalAssociate', 'PersonId' => 0, 'Password' => $password],
        [credentials($adminTicket)]);
    $r = is_object($body) ? ($body->Response ?? null) : null;
    expect(is_object($r), 'no UserValidationResult in Response: ' . shape($body, $h));
    return $r;
};
step('B1 IsPasswordValidWithReason("short")', function () use ($validity) {
    $r = $validity('short');
    expect(($r->Result ?? null) === false, 'Result not false: ' . var_export($r->Result ?? null, true));
    expect(is_string($r->Reason ?? null) && $r->Reason !== '', 'empty Reason');
    return 'Result=false, Reason="' . $r->Reason . '"';
});
step('B2 IsPasswordValidWithReason(long random)', function () use ($validity) {
    $r = $validity(newPassword('long') . bin2hex(random_bytes(12)));
    expect(($r->Result ?? null) === true, 'Result not true (Reason: ' . var_export($r->Reason ?? null, true) . ')');
    return 'Result=true';
});

// 4a. A made-up ticket: the default server answers with Succeeded=false + ExceptionInfo headers.
step('4a SetPassword with a made-up ticket (headers)', function () use ($setPassword, $user, $expectInvalidTicket) {
    return $expectInvalidTicket($setPassword($user, BOGUS_TICKET, newPassword('x')));
});

// 4b. A revoked ticket: the admin changes the target's password again, which revokes the
// target's own ticket from 3a; the target then uses that ticket.
step('4b SetPassword with a revoked ticket (headers)', function () use ($setPassword, $user, $adminTicket, &$targetTicket, $expectInvalidTicket) {
    expect($targetTicket !== null, 'no target ticket from step 3a');
    [$body, $h] = $setPassword($user, $adminTicket, newPassword('b'));
    expect(is_object($body) && ($body->Response ?? null) === true, 'admin SetPassword: Response not true: ' . shape($body, $h));
    return $expectInvalidTicket($setPassword($user, $targetTicket, newPassword('y')));
});

// 4c. Same made-up ticket against the faults server: a SoapFault whose detail carries
// ExceptionInfo/ExceptionType.
step('4c SetPassword with a made-up ticket (fault server)', function () use ($setPassword, $userFaults) {
    try {
        [$body, $h] = $setPassword($userFaults, BOGUS_TICKET, newPassword('z'));
    } catch (SoapFault $f) {
        $detail = $f->detail ?? null;
        $info = is_object($detail) ? ($detail->ExceptionInfo ?? null) : null;
        $type = is_object($info) ? ($info->ExceptionType ?? null) : null;
        expect($type === 'SoInvalidTicketException',
            "fault {$f->faultcode} without detail ExceptionInfo/ExceptionType SoInvalidTicketException (detail: "
            . json_encode($detail) . ')');
        return "SoapFault {$f->faultcode}: ExceptionType=SoInvalidTicketException";
    }
    throw new CheckFailed('no SoapFault: ' . shape($body, $h));
});

echo "php-soapclient: $passed passed, $failed failed\n";
exit($failed === 0 ? 0 : 1);
