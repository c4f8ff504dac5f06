#!/usr/bin/perl
# Generates (once per WSDL content) the SOAP::WSDL classes for SoPrincipal.svc and
# User.svc from the served WSDL and prints the folder to put on @INC.
#
#   perl gen.pl BASE_URL CACHE_ROOT
#
# This is what `wsdl2perl -p NS88 -mi header-typemap.pl -b DIR URL` does (same generator
# calls), plus one thing the command line cannot do: a template folder ahead of SOAP::WSDL's
# own (templates/, see the note there), without which wsdl2perl never finishes on this WSDL.
# The cache key is the SHA-256 of both WSDLs (with their soap:address locations blanked, as
# the port changes from run to run) and of the generator inputs in this folder.
use strict;
use warnings;
use Digest::SHA;
use FindBin;
use File::Path qw(make_path remove_tree);
use File::Temp qw(tempdir);
use LWP::UserAgent;
use SOAP::WSDL::Expat::WSDLParser;
use SOAP::WSDL::Factory::Generator;

# SOAP::WSDL 3.004 bug, patched here: the WSDL parser hands every node its parent's xmlns
# hash by reference, and init() adds the node's own xmlns:* declarations to it, so a prefix
# declared on a nested element rebinds it for the whole document (last one wins).
# SoPrincipal's WSDL (like SuperOffice's) declares tns on the root and again, for the
# Arrays namespace, on the last xs:schema; unpatched, every tns:X resolves into the Arrays
# namespace and generation dies ("...Serialization/Arrays SoExceptionInfo not found").
# Copy-on-write: a node that declares prefixes gets its own copy first.
{
    require SOAP::WSDL::Base;
    no warnings 'redefine';
    my $init = \&SOAP::WSDL::Base::init;
    *SOAP::WSDL::Base::init = sub {
        my ($self, @attrs) = @_;
        $self->set_xmlns({ %{ $self->get_xmlns } }) if grep { $_->{Name} =~ /^xmlns:/ } @attrs;
        return $init->($self, @attrs);
    };
}

# Two warnings SOAP::WSDL gives on every run for this WSDL, both harmless: it does not know
# the wsaw:Action attribute (WS-Addressing metadata), and it does not follow an xs:import
# without schemaLocation (the Arrays schema is inline in the same WSDL, and is used).
local $SIG{__WARN__} = sub {
    return if index($_[0], 'found unrecognised attribute {http://www.w3.org/2006/05/addressing/wsdl}Action') == 0;
    return if index($_[0], 'cannot import document for namespace >http://schemas.microsoft.com/2003/10/Serialization/Arrays<') == 0;
    warn @_;
};

my ($base, $cache_root) = @ARGV;
die "usage: gen.pl BASE_URL CACHE_ROOT\n" unless $base && $cache_root;
$base =~ s{/+$}{};
my $here = $FindBin::Bin;
my @services = qw(SoPrincipal User);
my %url = map { $_ => "$base/Remote/Services88/$_.svc?wsdl" } @services;

# Cache key.
my $sha = Digest::SHA->new(256);
my $ua  = LWP::UserAgent->new(timeout => 30);
for my $svc (@services) {
    my $res = $ua->get($url{$svc});
    die "GET $url{$svc}: " . $res->status_line . "\n" unless $res->is_success;
    (my $wsdl = $res->decoded_content) =~ s{(\baddress\s+location=")[^"]*"}{$1"}g;
    $sha->add($wsdl);
}
for my $file ('gen.pl', 'header-typemap.pl', 'templates/complexType/POD/all.tt') {
    $sha->addfile("$here/$file");
}
$sha->add("SOAP::WSDL $SOAP::WSDL::Expat::WSDLParser::VERSION");
my $dir = "$cache_root/" . $sha->hexdigest;
if (-f "$dir/.done") { print "$dir/lib\n"; exit 0 }

# Generate into a temporary folder next to the cache entry, then rename it into place.
make_path($cache_root);
our $tmp = tempdir("gen.XXXXXX", DIR => $cache_root, CLEANUP => 0);
END { our $tmp; remove_tree($tmp) if defined $tmp && -d $tmp }
my %typemap = do "$here/header-typemap.pl" or die "header-typemap.pl: $@ $!\n";
for my $svc (@services) {
    my $definitions = SOAP::WSDL::Expat::WSDLParser->new({ user_agent => $ua })->parse_uri($url{$svc});
    my $generator = SOAP::WSDL::Factory::Generator->get_generator({ type => 'XSD' });
    $generator->set_INCLUDE_PATH(["$here/templates", $generator->get_INCLUDE_PATH]);
    $generator->set_typemap({%typemap});
    $generator->set_silent(1);
    $generator->set_attribute_prefix('NS88Attributes');
    $generator->set_type_prefix('NS88Types');
    $generator->set_typemap_prefix('NS88Typemaps');
    $generator->set_element_prefix('NS88Elements');
    $generator->set_interface_prefix('NS88Interfaces');
    $generator->set_server_prefix('NS88Server');
    $generator->set_OUTPUT_PATH("$tmp/lib");
    $generator->set_definitions($definitions);
    $generator->generate();
    $generator->generate_interface();
}
open my $done, '>', "$tmp/.done" or die $!;
close $done;
remove_tree($dir) if -e $dir;
rename $tmp, $dir or die "rename $tmp -> $dir: $!\n";
print "$dir/lib\n";
