# Extra typemap entries (wsdl2perl's --typemap_include format: a list of path => class).
# SOAP::WSDL's generated typemaps cover only the body parts of each message, and its strict
# parser dies on any element without an entry, so every NetServer response (which always
# carries the ExceptionInfo, ExtraInfo, Succeeded and TimeZone headers) would fail to parse.
# Its parser also builds ONE object per Header (and per Body): a second top-level header
# element is added as a child of the first ("Can't locate object method add_ExtraInfo via
# NS88Elements::ExceptionInfo"). So ExceptionInfo, the first header and the one that says
# what went wrong, is mapped to its generated class, and the other three are skipped
# ('__SKIP__' is the parser's own marker). A fault's detail is mapped to a class holding
# the ExceptionInfo element. Paths are element local names from below Header/Body.
my $s = 'SOAP::WSDL::XSD::Typelib::Builtin::string';
my @exception_info = (
    Message => $s, StackTrace => $s, FriendlyText => $s, ExceptionType => $s, Source => $s,
    InnerException => 'NS88Types::SoExceptionInfo',
    Parameters => 'NS88Types::SoExceptionInfoParameters',
    'Parameters/SoExceptionInfoParametersKeyValuePair'
        => 'NS88Types::SoExceptionInfoParameters::_SoExceptionInfoParametersKeyValuePair',
    'Parameters/SoExceptionInfoParametersKeyValuePair/Key' => $s,
    'Parameters/SoExceptionInfoParametersKeyValuePair/Value' => $s,
);
my %entries;
for my $root ('ExceptionInfo', 'Fault/detail/ExceptionInfo') {
    $entries{$root} = 'NS88Elements::ExceptionInfo';
    my @pairs = @exception_info;
    while (my ($path, $class) = splice @pairs, 0, 2) { $entries{"$root/$path"} = $class }
}
(
    %entries,
    # A fault's detail holds an ExceptionInfo element (see Fault11Detail.pm).
    'Fault/detail'                         => 'NetServerFault11Detail',
    'ExtraInfo'                            => '__SKIP__',
    'Succeeded'                            => '__SKIP__',
    'TimeZone'                             => '__SKIP__',
);
