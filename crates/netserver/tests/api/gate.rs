//! A TCP gate in front of the machine's PostgreSQL that a test opens, closes and stalls,
//! to play a database outage without touching the shared server: while closed its port
//! refuses connections and every connection through it is cut; while stalled it accepts
//! and holds connections but passes no bytes (a network partition).

use std::net::SocketAddr;

use tokio::net::{TcpSocket, TcpStream};
use tokio::sync::watch;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Open,
    Stalled,
    Closed,
}

pub struct Gate {
    pub addr: SocketAddr,
    target: SocketAddr,
    mode: watch::Sender<Mode>,
}

impl Gate {
    /// An open gate on a free loopback port, forwarding to `target`.
    pub async fn open_to(target: SocketAddr) -> Gate {
        let (mode, _) = watch::channel(Mode::Open);
        let mut gate = Gate {
            addr: "127.0.0.1:0".parse().unwrap(),
            target,
            mode,
        };
        gate.addr = gate.listen();
        gate
    }

    pub fn set(&self, mode: Mode) {
        let was = *self.mode.borrow();
        self.mode.send_replace(mode);
        if was == Mode::Closed && mode != Mode::Closed {
            self.listen();
        }
    }

    /// Binds (again) the gate's port and accepts until the gate closes.
    fn listen(&self) -> SocketAddr {
        let socket = TcpSocket::new_v4().unwrap();
        socket.set_reuseaddr(true).unwrap();
        socket.bind(self.addr).unwrap();
        let listener = socket.listen(64).unwrap();
        let addr = listener.local_addr().unwrap();
        let mut closed = self.mode.subscribe();
        let mode = self.mode.subscribe();
        let target = self.target;
        tokio::spawn(async move {
            loop {
                tokio::select! {
                    accepted = listener.accept() => {
                        if let Ok((client, _)) = accepted {
                            tokio::spawn(carry(client, target, mode.clone()));
                        }
                    }
                    changed = closed.wait_for(|m| *m == Mode::Closed) => {
                        let _ = changed;
                        return; // drops the listener: the port refuses
                    }
                }
            }
        });
        addr
    }
}

/// One connection through the gate: bytes flow while open, stop while stalled, and both
/// ends are dropped when the gate closes.
async fn carry(mut client: TcpStream, target: SocketAddr, mut mode: watch::Receiver<Mode>) {
    if *mode.borrow() == Mode::Open {
        let Ok(mut server) = TcpStream::connect(target).await else {
            return;
        };
        tokio::select! {
            _ = tokio::io::copy_bidirectional(&mut client, &mut server) => return,
            _ = mode.wait_for(|m| *m != Mode::Open) => {}
        }
    }
    // Stalled (or closing): hold the sockets, pass nothing, until the gate closes.
    let _ = mode.wait_for(|m| *m == Mode::Closed).await;
}
