"""The benchmark's spyne peer: User.SetPassword in Services88's namespace over SOAP 1.1.

A WSGI application (bench/run serves it with gunicorn's threaded workers, keep-alive).
It reads the same envelope as netserver's protocol path, Credentials/Ticket header
included, and answers SetPasswordResponse/Response=false without looking at the ticket.
"""

from spyne import Application, Boolean, ComplexModel, Integer, ServiceBase, Unicode, rpc
from spyne.protocol.soap import Soap11
from spyne.server.wsgi import WsgiApplication

NS = "http://www.superoffice.net/ws/crm/NetServer/Services88"


class Credentials(ComplexModel):
    __namespace__ = NS
    Ticket = Unicode


class User(ServiceBase):
    __in_header__ = Credentials

    @rpc(Integer, Unicode, _returns=Boolean, _out_variable_name="Response")
    def SetPassword(ctx, AssociateId, Password):
        return False


application = WsgiApplication(Application(
    [User], tns=NS, name="User",
    in_protocol=Soap11(validator="lxml"), out_protocol=Soap11()))
