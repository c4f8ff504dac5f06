package NetServerFault11Detail;
# The detail of a NetServer SOAP 1.1 fault: one ExceptionInfo element (Services88).
# SOAP::WSDL models a fault's <detail> as a plain string (Fault11Detail), so a typed
# detail needs its own class, written like the ones wsdl2perl generates; header-typemap.pl
# maps 'Fault/detail' to it.
use strict;
use warnings;
use Class::Std::Fast::Storable constructor => 'none';
use base qw(SOAP::WSDL::XSD::Typelib::ComplexType);
use NS88Elements::ExceptionInfo;

__PACKAGE__->_set_element_form_qualified(1);
sub get_xmlns { 'http://www.superoffice.net/ws/crm/NetServer/Services88' }
our $XML_ATTRIBUTE_CLASS;
sub __get_attr_class { $XML_ATTRIBUTE_CLASS }

Class::Std::initialize();
{
    my %ExceptionInfo_of :ATTR(:get<ExceptionInfo>);
    __PACKAGE__->_factory(
        [qw(ExceptionInfo)],
        { ExceptionInfo => \%ExceptionInfo_of },
        { ExceptionInfo => 'NS88Elements::ExceptionInfo' },
        { ExceptionInfo => 'ExceptionInfo' },
    );
}

1;
