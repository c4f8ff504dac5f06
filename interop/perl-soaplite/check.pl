#!/usr/bin/perl
# Interop check: Perl SOAP::Lite 1.27 against a running netserver.
#
#   perl check.pl 11|12
#
# SOAP::Lite reads no document/literal WSDL, so the requests are built by hand the way
# its users do: autotype(0) (no guessed xsi:types), default_ns (elements in the Services88
# namespace), explicit types on the values (see str()), the SOAPAction from the WSDL, and
# soapversion('1.2') for SOAP 1.2 (which still puts an encodingStyle attribute on the
# Envelope). Results, headers and faults are read from the SOAP::SOM by path.
# Reads NS_BASE, NS_FAULT_BASE, NS_ADMIN_USER, NS_ADMIN_PASSWORD, NS_TARGET_USER,
# NS_TARGET_ID, NS_TARGET_PASSWORD. One PASS/FAIL line per step (no password or ticket
# is printed); exit 0 if all pass, 1 otherwise.
use strict;
use warnings;
use utf8;
use SOAP::Lite;

my $NS    = 'http://www.superoffice.net/ws/crm/NetServer/Services88';
my $BOGUS = '7T:bm9wZQ==';

my $version = shift // '';
die "usage: check.pl 11|12\n" unless $version eq '11' || $version eq '12';
my $label = $version eq '12' ? 'SOAP 1.2' : 'SOAP 1.1';
sub env { my $v = $ENV{ $_[0] }; die "missing env $_[0]\n" unless defined $v && length $v; $v }
my ($base, $fault_base) = map { s{/+$}{}r } env('NS_BASE'), env('NS_FAULT_BASE');
my $target_id = env('NS_TARGET_ID') + 0;
binmode STDOUT, ':encoding(UTF-8)';

# The SOAP version is process-wide in SOAP::Lite (SOAP::Constants) and a serializer takes
# its envelope namespace and prefix when it is made: soapversion('1.2') must come before
# new(), or the envelope goes out as an unqualified <Envelope> that no server accepts.
SOAP::Lite->soapversion('1.2') if $version eq '12';

# A SOAP::Lite client for one service at $base; $svc is SoPrincipal or User.
sub client {
    my ($base, $svc) = @_;
    my $soap = SOAP::Lite->new(proxy => "$base/Remote/Services88/$svc.svc", timeout => 60);
    $soap->autotype(0)->default_ns($NS)->readable(0);
    # SOAPAction as the WSDL's soap:operation says: NS/<Service>/<Operation>.
    $soap->on_action(sub { qq("$NS/$svc/$_[1]") });
    # Do not die on faults: return the SOAP::SOM so the caller can look at it.
    $soap->on_fault(sub { my ($s, $res) = @_; ref $res ? $res : die 'transport: ' . $s->transport->status . "\n" });
    return $soap;
}

my $principal   = client($base, 'SoPrincipal');
my $user        = client($base, 'User');
my $user_faults = client($fault_base, 'User');

# A string element. With autotype(0) SOAP::Lite writes an untyped value as it is, without
# escaping & < > (so a password with them is not well-formed XML); an explicit type makes
# it escape the value, at the cost of an xsi:type="xsd:string" attribute.
sub str { SOAP::Data->name($_[0] => $_[1])->type('string') }

sub login {
    my ($name, $password) = @_;
    return $principal->call('AuthenticateUsernamePassword',
        str(UserName => $name), str(Password => $password));
}

sub set_password {
    my ($soap, $ticket, $password) = @_;
    my $credentials = SOAP::Header->name(Credentials => \str(Ticket => $ticket))->attr({ xmlns => $NS });
    return $soap->call('SetPassword', SOAP::Data->name(AssociateId => $target_id)->type('int'),
        str(Password => $password), $credentials);
}

# Secret-free description of a response for FAIL lines.
sub shape {
    my $som = shift;
    return 'no response' unless ref $som;
    return 'fault: ' . ($som->valueof('//Fault/faultstring') // $som->valueof('//Fault/Reason/Text') // '?') if $som->fault;
    my @h = map { $_->name . '=' . (defined $_->value && !ref $_->value ? $_->value : ref $_->value ? 'struct' : 'nil') }
        $som->dataof('//Header/*');
    return 'headers{' . join(',', @h) . '}';
}

sub expect { my ($cond, $what) = @_; die "$what\n" unless $cond }

my ($passed, $failed) = (0, 0);
sub step {
    my ($name, $code) = @_;
    my $detail = eval { $code->() };
    if ($@) { $failed++; chomp(my $e = $@); print "FAIL $label $name: $e\n"; return 0 }
    $passed++; print "PASS $label $name", ($detail ? ": $detail" : ''), "\n"; return 1;
}
sub done { print "perl-soaplite: $passed passed, $failed failed\n"; exit($failed ? 1 : 0) }

# New passwords with XML-special characters and non-ASCII (é, ü); Perl character strings,
# which SOAP::Lite encodes as UTF-8.
sub new_password { sprintf 'Pé&<%s>%08xü!', $_[0], int rand 0xffffffff }

# A Succeeded=false + ExceptionInfo answer of the default server.
sub expect_invalid_ticket {
    my $som = shift;
    expect(ref $som && !$som->fault, 'unexpected: ' . shape($som));
    expect(($som->valueof('//Body/SetPasswordResponse/Response') // '') eq 'false', 'Response is not false: ' . shape($som));
    expect(($som->valueof('//Header/Succeeded') // '') eq 'false', 'Succeeded header is not false: ' . shape($som));
    my $type = $som->valueof('//Header/ExceptionInfo/ExceptionType') // 'none';
    expect($type eq 'SoInvalidTicketException', "ExceptionType=$type");
    return 'Response=false, Succeeded=false, ExceptionType=SoInvalidTicketException';
}

my ($admin_ticket, $target_ticket);

# 1. Administrator log-in; the ticket comes from the response body.
step('1 AuthenticateUsernamePassword(admin)', sub {
    my $som = login(env('NS_ADMIN_USER'), env('NS_ADMIN_PASSWORD'));
    expect(ref $som && !$som->fault, 'unexpected: ' . shape($som));
    expect(($som->valueof('//Body/AuthenticateResponse/AuthenticationSucceeded') // '') eq 'true', 'AuthenticationSucceeded not true: ' . shape($som));
    my $t = $som->valueof('//Body/AuthenticateResponse/Credentials/Ticket');
    expect(defined $t && length $t, 'no Credentials/Ticket in the body');
    expect(($som->valueof('//Header/Succeeded') // '') eq 'true', 'Succeeded header not true: ' . shape($som));
    $admin_ticket = $t;
    return 'AuthenticationSucceeded=true, ticket received, Succeeded=true';
}) or done();

# 2. SetPassword with the admin's ticket in the Credentials header.
my $pw1 = new_password('a');
step('2 SetPassword(target) with the admin ticket', sub {
    my $som = set_password($user, $admin_ticket, $pw1);
    expect(ref $som && !$som->fault, 'unexpected: ' . shape($som));
    expect(($som->valueof('//Body/SetPasswordResponse/Response') // '') eq 'true', 'Response not true: ' . shape($som));
    expect(($som->valueof('//Header/Succeeded') // '') eq 'true', 'Succeeded header not true: ' . shape($som));
    return 'Response=true, Succeeded=true';
});

# 3. The target logs in with the new password (ticket kept for 4b), not with the old one.
step('3a log-in as target with the new password', sub {
    my $som = login(env('NS_TARGET_USER'), $pw1);
    expect(ref $som && !$som->fault, 'unexpected: ' . shape($som));
    expect(($som->valueof('//Body/AuthenticateResponse/AuthenticationSucceeded') // '') eq 'true', 'AuthenticationSucceeded not true: ' . shape($som));
    $target_ticket = $som->valueof('//Body/AuthenticateResponse/Credentials/Ticket');
    expect(defined $target_ticket && length $target_ticket, 'no Credentials/Ticket in the body');
    return 'AuthenticationSucceeded=true';
});
step('3b log-in as target with the old password', sub {
    my $som = login(env('NS_TARGET_USER'), env('NS_TARGET_PASSWORD'));
    expect(ref $som && !$som->fault, 'unexpected: ' . shape($som));
    expect(($som->valueof('//Body/AuthenticateResponse/AuthenticationSucceeded') // '') eq 'false', 'AuthenticationSucceeded not false: ' . shape($som));
    return 'AuthenticationSucceeded=false';
});

# The Credentials header with a ticket (Services88 namespace).
sub credentials { SOAP::Header->name(Credentials => \str(Ticket => $_[0]))->attr({ xmlns => $NS }) }

sub change_own_password {
    my ($soap, $ticket, $old, $new) = @_;
    return $soap->call('ChangeOwnPassword', str(OldPassword => $old), str(NewPassword => $new), credentials($ticket));
}

# A. The target changes its own password with its ticket T from 3a (T stays valid: the
# caller keeps its ticket), then logs in with new2 (yes) and the step-2 password (no).
my $pw2 = new_password('c');
step('A1 ChangeOwnPassword(step-2 password -> new2) as target', sub {
    expect(defined $target_ticket, 'no target ticket from step 3a');
    my $som = change_own_password($user, $target_ticket, $pw1, $pw2);
    expect(ref $som && !$som->fault, 'unexpected: ' . shape($som));
    expect(($som->valueof('//Body/ChangeOwnPasswordResponse/Response') // '') eq 'true', 'Response not true: ' . shape($som));
    expect(($som->valueof('//Header/Succeeded') // '') eq 'true', 'Succeeded header not true: ' . shape($som));
    return 'Response=true, Succeeded=true';
});
step('A2 log-in as target with new2 / with the step-2 password', sub {
    my $som = login(env('NS_TARGET_USER'), $pw2);
    expect(ref $som && !$som->fault && ($som->valueof('//Body/AuthenticateResponse/AuthenticationSucceeded') // '') eq 'true',
        'new2: AuthenticationSucceeded not true: ' . shape($som));
    $som = login(env('NS_TARGET_USER'), $pw1);
    expect(ref $som && !$som->fault && ($som->valueof('//Body/AuthenticateResponse/AuthenticationSucceeded') // '') eq 'false',
        'step-2 password: AuthenticationSucceeded not false: ' . shape($som));
    return 'new2: AuthenticationSucceeded=true; step-2 password: AuthenticationSucceeded=false';
});
# A wrong OldPassword, still with T (the refusal names the password, so T is still valid).
step('A3 ChangeOwnPassword with a wrong OldPassword (headers)', sub {
    my $som = change_own_password($user, $target_ticket, new_password('wrong'), new_password('d'));
    expect(ref $som && !$som->fault, 'unexpected: ' . shape($som));
    expect(($som->valueof('//Body/ChangeOwnPasswordResponse/Response') // '') eq 'false', 'Response is not false: ' . shape($som));
    expect(($som->valueof('//Header/Succeeded') // '') eq 'false', 'Succeeded header is not false: ' . shape($som));
    my $type = $som->valueof('//Header/ExceptionInfo/ExceptionType') // 'none';
    expect($type eq 'SoWrongPasswordException', "ExceptionType=$type");
    return 'Response=false, Succeeded=false, ExceptionType=SoWrongPasswordException (ticket T still accepted)';
});
step('A4 ChangeOwnPassword with a wrong OldPassword (fault server)', sub {
    my $som = change_own_password($user_faults, $target_ticket, new_password('wrong'), new_password('e'));
    expect(ref $som && $som->fault, 'no fault: ' . shape($som));
    my $type = $som->valueof($version eq '12' ? '//Fault/Detail/ExceptionInfo/ExceptionType' : '//Fault/detail/ExceptionInfo/ExceptionType') // 'none';
    expect($type eq 'SoWrongPasswordException', "fault ExceptionType=$type");
    return 'fault: ExceptionType=SoWrongPasswordException';
});

# B. The policy verdict with its reason (a UserValidationResult, which extends Carrier).
sub validity {
    my $password = shift;
    my $som = $user->call('IsPasswordValidWithReason',
        SOAP::Data->name(AssociateId => $target_id)->type('int'),
        SOAP::Data->name(Type => 'InternalAssociate'),
        SOAP::Data->name(PersonId => 0)->type('int'),
        str(Password => $password), credentials($admin_ticket));
    expect(ref $som && !$som->fault, 'unexpected: ' . shape($som));
    my $path = '//Body/IsPasswordValidWithReasonResponse/Response';
    expect(defined $som->dataof($path), 'no Response: ' . shape($som));
    return ($som->valueof("$path/Result") // '', $som->valueof("$path/Reason") // '');
}
step('B1 IsPasswordValidWithReason("short")', sub {
    my ($result, $reason) = validity('short');
    expect($result eq 'false', "Result=$result");
    expect(length $reason, 'empty Reason');
    return qq(Result=false, Reason="$reason");
});
step('B2 IsPasswordValidWithReason(long random)', sub {
    my ($result, $reason) = validity(new_password('long') . new_password('er'));
    expect($result eq 'true', qq(Result=$result (Reason "$reason")));
    return 'Result=true';
});

# 4a. A made-up ticket: Succeeded=false + ExceptionInfo headers from the default server.
step('4a SetPassword with a made-up ticket (headers)', sub {
    return expect_invalid_ticket(set_password($user, $BOGUS, new_password('x')));
});

# 4b. A revoked ticket: the admin sets the target's password again, which revokes the
# target's ticket from 3a; the target then uses it.
step('4b SetPassword with a revoked ticket (headers)', sub {
    expect(defined $target_ticket, 'no target ticket from step 3a');
    my $som = set_password($user, $admin_ticket, new_password('b'));
    expect(ref $som && !$som->fault && ($som->valueof('//Body/SetPasswordResponse/Response') // '') eq 'true',
        'admin SetPassword failed: ' . shape($som));
    return expect_invalid_ticket(set_password($user, $target_ticket, new_password('y')));
});

# 4c. The made-up ticket against the faults server: a SOAP fault whose detail holds
# ExceptionInfo/ExceptionType. SOAP::SOM's faultcode/faultdetail accessors know only
# SOAP 1.1 names (faultcode, detail), so the 1.2 fault (Code/Value, Detail) is read by path.
step('4c SetPassword with a made-up ticket (fault server)', sub {
    my $som = set_password($user_faults, $BOGUS, new_password('z'));
    expect(ref $som && $som->fault, 'no fault: ' . shape($som));
    my ($code, $type) = $version eq '12'
        ? ($som->valueof('//Fault/Code/Value'), $som->valueof('//Fault/Detail/ExceptionInfo/ExceptionType'))
        : ($som->faultcode, $som->valueof('//Fault/detail/ExceptionInfo/ExceptionType'));
    expect(($type // '') eq 'SoInvalidTicketException', 'fault ' . ($code // '?') . ' without detail ExceptionInfo/ExceptionType SoInvalidTicketException');
    return "fault $code: ExceptionType=SoInvalidTicketException";
});

done();
