#!/usr/bin/perl
# Interop check: Perl SOAP::WSDL 3.004 against a running netserver, through the classes
# that gen.pl generates (wsdl2perl's generator) from the served WSDL.
#
#   perl -I GENERATED_LIB -I lib check.pl 11|12
#
# Reads NS_BASE, NS_FAULT_BASE, NS_ADMIN_USER, NS_ADMIN_PASSWORD, NS_TARGET_USER,
# NS_TARGET_ID, NS_TARGET_PASSWORD. One PASS/FAIL line per step (no password or ticket is
# printed); exit 0 if all pass, 1 otherwise, 3 for SOAP 1.2 once it is shown that
# SOAP::WSDL cannot speak it.
#
# What SOAP::WSDL gives a caller: a generated method per operation taking the body as a
# hash and ONE header element (only the binding's first header part is wired: ApplicationToken
# for every operation, so the Credentials header is passed as a generated
# NS88Elements::Credentials object), and, in list context, (body, header) where header is
# only the FIRST header element of the response: ExceptionInfo. Succeeded is never exposed,
# so the failure check reads ExceptionInfo (nil on success) plus Response=false.
use strict;
use warnings;
use utf8;
use FindBin;

my $NS    = 'http://www.superoffice.net/ws/crm/NetServer/Services88';
my $BOGUS = '7T:bm9wZQ==';

my $version = shift // '';
die "usage: check.pl 11|12\n" unless $version eq '11' || $version eq '12';
my $label = $version eq '12' ? 'SOAP 1.2' : 'SOAP 1.1';
binmode STDOUT, ':encoding(UTF-8)';
sub env { my $v = $ENV{ $_[0] }; die "missing env $_[0]\n" unless defined $v && length $v; $v }

my ($passed, $failed) = (0, 0);
sub step {
    my ($name, $code) = @_;
    my $detail = eval { $code->() };
    if ($@) { $failed++; chomp(my $e = $@); print "FAIL $label $name: $e\n"; return 0 }
    $passed++; print "PASS $label $name", ($detail ? ": $detail" : ''), "\n"; return 1;
}
sub done { print "perl-soapwsdl: $passed passed, $failed failed\n"; exit($failed ? 1 : 0) }
sub expect { my ($cond, $what) = @_; die "$what\n" unless $cond }

# SOAP 1.2: show that the stack cannot, then exit 3.
if ($version eq '12') {
    my @why;
    # (a) wsdl2perl made no interface for the *_Soap12 ports: SOAP::WSDL's WSDL parser does
    #     not know the soap12 binding namespace, so those ports have no usable address.
    my @soap12 = grep { -e } map { my $d = $_; map { "$d/NS88Interfaces/$_" }
        'WcfUserService/BasicHttpBinding_User_Soap12.pm', 'WcfSoPrincipalService/BasicHttpBinding_SoPrincipal_Soap12.pm' } @INC;
    push @why, 'no interface class generated for the SOAP 1.2 ports' unless @soap12;
    # (b) no serializer or deserializer is registered for SOAP 1.2.
    require SOAP::WSDL::Factory::Serializer;
    require SOAP::WSDL::Factory::Deserializer;
    for my $factory (qw(SOAP::WSDL::Factory::Serializer SOAP::WSDL::Factory::Deserializer)) {
        my $getter = $factory =~ /Deserializer/ ? 'get_deserializer' : 'get_serializer';
        my $ok = eval { $factory->$getter({ soap_version => '1.2' }); 1 };
        (my $e = $@ // '') =~ s/ at .*//s;
        push @why, "$factory: $e" unless $ok;
    }
    if (@why == 3) {
        print "SKIP $label not supported by SOAP::WSDL 3.004: ", join('; ', @why), "\n";
        exit 3;
    }
    print "FAIL $label SOAP::WSDL seems to support SOAP 1.2 now (", join('; ', @why) || 'all probes passed',
        "): extend this driver\n";
    exit 1;
}

require NS88Interfaces::WcfSoPrincipalService::BasicHttpBinding_SoPrincipal;
require NS88Interfaces::WcfUserService::BasicHttpBinding_User;
require NS88Elements::Credentials;
require NetServerFault11Detail;    # fault detail class named in the typemap

my ($base, $fault_base) = map { s{/+$}{}r } env('NS_BASE'), env('NS_FAULT_BASE');
my $target_id = env('NS_TARGET_ID') + 0;
my $principal = NS88Interfaces::WcfSoPrincipalService::BasicHttpBinding_SoPrincipal->new(
    { proxy => "$base/Remote/Services88/SoPrincipal.svc" });
my $user = NS88Interfaces::WcfUserService::BasicHttpBinding_User->new(
    { proxy => "$base/Remote/Services88/User.svc" });
my $user_faults = NS88Interfaces::WcfUserService::BasicHttpBinding_User->new(
    { proxy => "$fault_base/Remote/Services88/User.svc" });

# Value of a generated simple-typed field, or undef.
sub val { my $v = shift; defined $v ? (ref $v ? $v->get_value : $v) : undef }
# A generated boolean's value as 'true'/'false' (xs:boolean allows 1/0 too).
sub bool { my $v = val(shift); !defined $v ? 'undef' : $v =~ /^(?:true|1)$/ ? 'true' : $v =~ /^(?:false|0)$/ ? 'false' : "'$v'" }
# A fault (SOAP::WSDL returns a false Fault11 object instead of a body).
sub fault_text { my $r = shift; ref $r && $r->isa('SOAP::WSDL::SOAP::Typelib::Fault11') ? 'fault ' . val($r->get_faultcode) . ': ' . substr(val($r->get_faultstring) // '', 0, 300) : undef }

sub login {
    my ($name, $password) = @_;
    my ($body, $header) = $principal->AuthenticateUsernamePassword({ UserName => $name, Password => $password });
    die fault_text($body) . "\n" if fault_text($body);
    return ($body, $header);
}
sub set_password {
    my ($client, $ticket, $password) = @_;
    return $client->SetPassword({ AssociateId => $target_id, Password => $password },
        NS88Elements::Credentials->new({ Ticket => $ticket }));
}

# New passwords: XML-special characters and non-ASCII (é, ü).
sub new_password { sprintf 'Pé&<%s>%08xü!', $_[0], int rand 0xffffffff }

# Response=false and an ExceptionInfo header with ExceptionType SoInvalidTicketException.
sub expect_invalid_ticket {
    my ($body, $header) = @_;
    die fault_text($body) . "\n" if fault_text($body);
    expect(bool($body->get_Response) eq 'false', 'Response is ' . bool($body->get_Response));
    expect(ref $header && $header->isa('NS88Elements::ExceptionInfo'), 'first response header is not ExceptionInfo: ' . (ref $header || 'none'));
    my $type = val($header->get_ExceptionType) // 'none';
    expect($type eq 'SoInvalidTicketException', "ExceptionType=$type");
    return 'Response=false, ExceptionInfo.ExceptionType=SoInvalidTicketException';
}

my ($admin_ticket, $target_ticket);

# 1. Administrator log-in; the ticket comes from the response body.
step('1 AuthenticateUsernamePassword(admin)', sub {
    my ($body, $header) = login(env('NS_ADMIN_USER'), env('NS_ADMIN_PASSWORD'));
    expect(bool($body->get_AuthenticationSucceeded) eq 'true', 'AuthenticationSucceeded=' . bool($body->get_AuthenticationSucceeded));
    my $t = val($body->get_Credentials && $body->get_Credentials->get_Ticket);
    expect(defined $t && length $t, 'no Credentials/Ticket in the body');
    expect(!defined val($header && $header->get_ExceptionType), 'ExceptionInfo header is not nil');
    $admin_ticket = $t;
    return 'AuthenticationSucceeded=true, ticket received, ExceptionInfo nil';
}) or done();

# 2. SetPassword with the admin's ticket in the Credentials header.
my $pw1 = new_password('a');
step('2 SetPassword(target) with the admin ticket', sub {
    my ($body, $header) = set_password($user, $admin_ticket, $pw1);
    die fault_text($body) . "\n" if fault_text($body);
    expect(bool($body->get_Response) eq 'true', 'Response=' . bool($body->get_Response)
        . ', ExceptionType=' . (val($header && $header->get_ExceptionType) // 'none'));
    return 'Response=true (Succeeded header not exposed by SOAP::WSDL)';
});

# 3. The target logs in with the new password (ticket kept for 4b), not with the old one.
step('3a log-in as target with the new password', sub {
    my ($body) = login(env('NS_TARGET_USER'), $pw1);
    expect(bool($body->get_AuthenticationSucceeded) eq 'true', 'AuthenticationSucceeded=' . bool($body->get_AuthenticationSucceeded));
    $target_ticket = val($body->get_Credentials && $body->get_Credentials->get_Ticket);
    expect(defined $target_ticket && length $target_ticket, 'no Credentials/Ticket in the body');
    return 'AuthenticationSucceeded=true';
});
step('3b log-in as target with the old password', sub {
    my ($body) = login(env('NS_TARGET_USER'), env('NS_TARGET_PASSWORD'));
    expect(bool($body->get_AuthenticationSucceeded) eq 'false', 'AuthenticationSucceeded=' . bool($body->get_AuthenticationSucceeded));
    return 'AuthenticationSucceeded=false';
});

sub change_own_password {
    my ($client, $ticket, $old, $new) = @_;
    return $client->ChangeOwnPassword({ OldPassword => $old, NewPassword => $new },
        NS88Elements::Credentials->new({ Ticket => $ticket }));
}

# A. The target changes its own password with its ticket T from 3a (T stays valid: the
# caller keeps its ticket), then logs in with new2 (yes) and the step-2 password (no).
my $pw2 = new_password('c');
step('A1 ChangeOwnPassword(step-2 password -> new2) as target', sub {
    expect(defined $target_ticket, 'no target ticket from step 3a');
    my ($body, $header) = change_own_password($user, $target_ticket, $pw1, $pw2);
    die fault_text($body) . "\n" if fault_text($body);
    expect(bool($body->get_Response) eq 'true', 'Response=' . bool($body->get_Response)
        . ', ExceptionType=' . (val($header && $header->get_ExceptionType) // 'none'));
    expect(!defined val($header && $header->get_ExceptionType), 'ExceptionInfo header is not nil');
    return 'Response=true, ExceptionInfo nil (Succeeded header not exposed by SOAP::WSDL)';
});
step('A2 log-in as target with new2 / with the step-2 password', sub {
    my ($body) = login(env('NS_TARGET_USER'), $pw2);
    expect(bool($body->get_AuthenticationSucceeded) eq 'true', 'new2: AuthenticationSucceeded=' . bool($body->get_AuthenticationSucceeded));
    ($body) = login(env('NS_TARGET_USER'), $pw1);
    expect(bool($body->get_AuthenticationSucceeded) eq 'false', 'step-2 password: AuthenticationSucceeded=' . bool($body->get_AuthenticationSucceeded));
    return 'new2: AuthenticationSucceeded=true; step-2 password: AuthenticationSucceeded=false';
});
# A wrong OldPassword, still with T (the refusal names the password, so T is still valid).
step('A3 ChangeOwnPassword with a wrong OldPassword (ExceptionInfo header)', sub {
    my ($body, $header) = change_own_password($user, $target_ticket, new_password('wrong'), new_password('d'));
    die fault_text($body) . "\n" if fault_text($body);
    expect(bool($body->get_Response) eq 'false', 'Response is ' . bool($body->get_Response));
    expect(ref $header && $header->isa('NS88Elements::ExceptionInfo'), 'first response header is not ExceptionInfo: ' . (ref $header || 'none'));
    my $type = val($header->get_ExceptionType) // 'none';
    expect($type eq 'SoWrongPasswordException', "ExceptionType=$type");
    return 'Response=false, ExceptionInfo.ExceptionType=SoWrongPasswordException (ticket T still accepted)';
});
step('A4 ChangeOwnPassword with a wrong OldPassword (fault server)', sub {
    my ($body) = change_own_password($user_faults, $target_ticket, new_password('wrong'), new_password('e'));
    expect(ref $body && $body->isa('SOAP::WSDL::SOAP::Typelib::Fault11'), 'no fault: ' . (ref $body || 'nothing'));
    my $detail = $body->get_detail;
    my $info = ref $detail && $detail->can('get_ExceptionInfo') ? $detail->get_ExceptionInfo : undef;
    my $type = val($info && $info->get_ExceptionType) // 'none';
    expect($type eq 'SoWrongPasswordException', fault_text($body) . " (detail ExceptionType=$type)");
    return 'fault ' . val($body->get_faultcode) . ': ExceptionType=SoWrongPasswordException';
});

# B. The policy verdict with its reason: Response is a generated UserValidationResult
# (an extension of Carrier: TableRight, FieldProperties, then Reason, Result).
sub validity {
    my $password = shift;
    my ($body, $header) = $user->IsPasswordValidWithReason(
        { AssociateId => $target_id, Type => 'InternalAssociate', PersonId => 0, Password => $password },
        NS88Elements::Credentials->new({ Ticket => $admin_ticket }));
    die fault_text($body) . "\n" if fault_text($body);
    my $r = $body->get_Response;
    expect(ref $r && $r->can('get_Result'), 'Response is not a UserValidationResult: ' . (ref $r || 'none')
        . ', ExceptionType=' . (val($header && $header->get_ExceptionType) // 'none'));
    return (bool($r->get_Result), val($r->get_Reason) // '');
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

# 4a. A made-up ticket: the default server's ExceptionInfo header (the only one SOAP::WSDL keeps).
step('4a SetPassword with a made-up ticket (ExceptionInfo header)', sub {
    return expect_invalid_ticket(set_password($user, $BOGUS, new_password('x')));
});

# 4b. A revoked ticket: the admin sets the target's password again, which revokes the
# target's ticket from 3a; the target then uses it.
step('4b SetPassword with a revoked ticket (ExceptionInfo header)', sub {
    expect(defined $target_ticket, 'no target ticket from step 3a');
    my ($body) = set_password($user, $admin_ticket, new_password('b'));
    die 'admin SetPassword: ' . fault_text($body) . "\n" if fault_text($body);
    expect(bool($body->get_Response) eq 'true', 'admin SetPassword: Response=' . bool($body->get_Response));
    return expect_invalid_ticket(set_password($user, $target_ticket, new_password('y')));
});

# 4c. The made-up ticket against the faults server: a Fault11 whose detail (typemap:
# NetServerFault11Detail) holds ExceptionInfo/ExceptionType.
step('4c SetPassword with a made-up ticket (fault server)', sub {
    my ($body) = set_password($user_faults, $BOGUS, new_password('z'));
    expect(ref $body && $body->isa('SOAP::WSDL::SOAP::Typelib::Fault11'), 'no fault: ' . (ref $body || 'nothing'));
    my $detail = $body->get_detail;
    my $info = ref $detail && $detail->can('get_ExceptionInfo') ? $detail->get_ExceptionInfo : undef;
    my $type = val($info && $info->get_ExceptionType) // 'none';
    expect($type eq 'SoInvalidTicketException', fault_text($body) . " (detail ExceptionType=$type)");
    return 'fault ' . val($body->get_faultcode) . ': ExceptionType=SoInvalidTicketException';
});

done();
