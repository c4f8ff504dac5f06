#!/usr/bin/env node
// Interop check: drive a running netserver with node-soap (npm soap 1.13.0).
//
//   node check.js 11|12
//
// Reads the runner's variables (see interop/run): NS_BASE, NS_ADMIN_USER, NS_ADMIN_PASSWORD,
// NS_TARGET_USER, NS_TARGET_ID, NS_TARGET_PASSWORD and, optionally, NS_FAULT_BASE.
// Builds its clients from the served WSDL of SoPrincipal.svc and User.svc and calls the
// operations of the SOAP 1.1 port (BasicHttpBinding_*) or the SOAP 1.2 one
// (BasicHttpBinding_*_Soap12). node-soap takes the envelope version from the client
// option `forceSoap12Headers`, not from the port's binding, so 1.2 sets it too.
//
//   1. logs in as the administrator and takes the ticket from the response body;
//   2. sets a new password (with `&<>` and a non-ASCII letter) for NS_TARGET_ID and checks
//      the body Response and the Succeeded output header;
//   3. logs in as NS_TARGET_USER with the new password (must succeed, its ticket T is kept)
//      and with NS_TARGET_PASSWORD (must fail);
//   A. as the target (ticket T): ChangeOwnPassword(step-2 password -> a new one): Response
//      and Succeeded true; log-in with the new one succeeds, with the step-2 one fails;
//      ChangeOwnPassword with a wrong OldPassword: Response false, Succeeded false and the
//      ExceptionInfo header's ExceptionType SoWrongPasswordException (which also shows T is
//      still valid after the target changed its own password);
//   B. IsPasswordValidWithReason(NS_TARGET_ID, InternalAssociate, 0, "short"): Result false
//      with a non-empty Reason (printed); with a long random password: Result true;
//   4. SetPassword with a made-up ticket: Response false, Succeeded header false and the
//      ExceptionInfo header's ExceptionType SoInvalidTicketException (node-soap exposes
//      output headers, so this uses NS_BASE); then the administrator sets the target's
//      password again, which revokes the target's ticket T, and a SetPassword with T must
//      fail the same way;
//   5. only if NS_FAULT_BASE is set: a made-up ticket against the faults-mode server must
//      reject with the SOAP fault, its detail's ExceptionInfo carrying the ExceptionType.
//
// Prints one line per step (never a password or ticket) and `node-soap: N passed, M failed`
// last; exits 0 when all passed, 1 on the first failure, 2 on bad usage.
'use strict';

const crypto = require('crypto');
const soap = require('soap');

const NS = 'http://www.superoffice.net/ws/crm/NetServer/Services88';
const BOGUS_TICKET = '7T:bm9wZQ==';
const INVALID_TICKET = 'SoInvalidTicketException';
const WRONG_PASSWORD = 'SoWrongPasswordException';

class CheckFailed extends Error {}

function env(name) {
  const value = process.env[name];
  if (!value) {
    console.error(`${name} is not set (see interop/run)`);
    process.exit(2);
  }
  return value;
}

// >= 8 characters, XML-special characters and a non-ASCII letter to exercise escaping and
// UTF-8 on both sides.
function newPassword(tag) {
  return `Zé${tag}&<${crypto.randomBytes(6).toString('base64url')}>9!`;
}

const version = process.argv[2];
if (version !== '11' && version !== '12') {
  console.error('usage: check.js 11|12');
  process.exit(2);
}
const suffix = version === '11' ? '' : '_Soap12';
const label = version === '11' ? 'SOAP 1.1' : 'SOAP 1.2';

const base = env('NS_BASE').replace(/\/+$/, '');
const faultBase = (process.env.NS_FAULT_BASE || '').replace(/\/+$/, '');
const adminUser = env('NS_ADMIN_USER');
const adminPassword = env('NS_ADMIN_PASSWORD');
const targetUser = env('NS_TARGET_USER');
const targetPassword = env('NS_TARGET_PASSWORD');
const targetId = Number.parseInt(env('NS_TARGET_ID'), 10);

let passed = 0;
function ok(step, detail) {
  passed += 1;
  console.log(`PASS ${label} ${step}${detail ? `: ${detail}` : ''}`);
}
function expect(cond, step, detail) {
  if (!cond) throw new CheckFailed(`${label} ${step}: ${detail}`);
}

// A client from the served WSDL at `at`, and one operation of its port for our version,
// as a promise of node-soap's [result, rawResponse, soapHeader, rawRequest] (the same
// array its `*Async` methods give; those are bound to whichever port was defined last).
async function client(at, svc) {
  const wsdl = `${at}/Remote/Services88/${svc}.svc?wsdl`;
  let c;
  try {
    c = await soap.createClientAsync(wsdl, { forceSoap12Headers: version === '12' });
  } catch (e) {
    throw new CheckFailed(`load ${wsdl}: ${e.message}`);
  }
  const portName = `BasicHttpBinding_${svc}${suffix}`;
  const serviceName = Object.keys(c.describe()).find((s) => c[s][portName]);
  if (!serviceName) throw new CheckFailed(`${wsdl}: no port ${portName}`);
  const port = c[serviceName][portName];
  const call = (op, args) =>
    new Promise((resolve, reject) => {
      port[op](args, (err, result, rawResponse, soapHeader, rawRequest) => {
        if (err) reject(err);
        else resolve([result, rawResponse, soapHeader, rawRequest]);
      });
    });
  return { c, call };
}

async function main() {
  console.log(`node-soap ${require('soap/package.json').version}, ${label}, against ${base}`);
  const principal = await client(base, 'SoPrincipal');
  const user = await client(base, 'User');
  ok('load the served WSDLs');

  async function authenticate(name, password, step) {
    let result, header;
    try {
      [result, , header] = await principal.call('AuthenticateUsernamePassword', {
        UserName: name,
        Password: password,
      });
    } catch (e) {
      throw new CheckFailed(`${label} ${step}: ${e.message}`);
    }
    const ticket = result && result.Credentials && result.Credentials.Ticket;
    return { succeeded: result && result.AuthenticationSucceeded, ticket, header };
  }

  // A User.svc operation with the ticket in the Credentials header; resolves to
  // { response, header } or rejects with node-soap's error (a fault).
  async function callUser(op, ticket, args, on = user) {
    on.c.clearSoapHeaders();
    on.c.addSoapHeader({ Credentials: { Ticket: ticket } }, '', 'tns', NS);
    const [result, , header] = await on.call(op, args);
    return { response: result && result.Response, header: header || {} };
  }
  async function callStep(op, ticket, args, step) {
    try {
      return await callUser(op, ticket, args);
    } catch (e) {
      throw new CheckFailed(`${label} ${step}: ${e.message}`);
    }
  }
  const setPassword = (ticket, password, on = user) =>
    callUser('SetPassword', ticket, { AssociateId: targetId, Password: password }, on);
  const setPasswordStep = (ticket, password, step) =>
    callStep('SetPassword', ticket, { AssociateId: targetId, Password: password }, step);

  // node-soap parses output headers without their schema types: Succeeded is the text.
  async function expectInvalidTicket(ticket, step) {
    const { response, header } = await setPasswordStep(ticket, newPassword('x'), step);
    const excType = header.ExceptionInfo && header.ExceptionInfo.ExceptionType;
    expect(
      response === false && header.Succeeded === 'false' && excType === INVALID_TICKET,
      step,
      `Response=${response}, Succeeded=${header.Succeeded}, ExceptionType=${excType}`,
    );
    ok(step, `Response=false, Succeeded=false, ExceptionType=${excType}`);
  }

  // 1. Administrator log-in; the ticket comes from the body.
  let step = `1 log in as ${adminUser}`;
  const admin = await authenticate(adminUser, adminPassword, step);
  expect(admin.succeeded === true, step, `AuthenticationSucceeded=${admin.succeeded}`);
  expect(typeof admin.ticket === 'string' && admin.ticket, step, 'no Credentials.Ticket');
  expect(admin.header && admin.header.Succeeded === 'true', step, `Succeeded header=${admin.header && admin.header.Succeeded}`);
  ok(step, 'AuthenticationSucceeded=true, ticket received, Succeeded=true');

  // 2. Set the target's password.
  step = `2 SetPassword(${targetId})`;
  const password = newPassword(version);
  let r = await setPasswordStep(admin.ticket, password, step);
  expect(r.response === true && r.header.Succeeded === 'true', step, `Response=${r.response}, Succeeded=${r.header.Succeeded}`);
  ok(step, 'Response=true, Succeeded=true');

  // 3. The new password works, the old one no longer does.
  step = `3 log in as ${targetUser} with the new password`;
  const target = await authenticate(targetUser, password, step);
  expect(target.succeeded === true && target.ticket, step, `AuthenticationSucceeded=${target.succeeded}`);
  ok(step, 'AuthenticationSucceeded=true');
  step = `3 log in as ${targetUser} with the old password`;
  const old = await authenticate(targetUser, targetPassword, step);
  expect(old.succeeded === false, step, `AuthenticationSucceeded=${old.succeeded}`);
  ok(step, 'AuthenticationSucceeded=false');

  // A. The target changes its own password with its ticket T.
  step = `A ChangeOwnPassword as ${targetUser}`;
  const password2 = newPassword(`${version}c`);
  r = await callStep('ChangeOwnPassword', target.ticket, { OldPassword: password, NewPassword: password2 }, step);
  expect(r.response === true && r.header.Succeeded === 'true', step, `Response=${r.response}, Succeeded=${r.header.Succeeded}`);
  ok(step, 'Response=true, Succeeded=true');
  step = `A log in as ${targetUser} with its own new password`;
  let login = await authenticate(targetUser, password2, step);
  expect(login.succeeded === true, step, `AuthenticationSucceeded=${login.succeeded}`);
  ok(step, 'AuthenticationSucceeded=true');
  step = `A log in as ${targetUser} with the step-2 password`;
  login = await authenticate(targetUser, password, step);
  expect(login.succeeded === false, step, `AuthenticationSucceeded=${login.succeeded}`);
  ok(step, 'AuthenticationSucceeded=false');
  let current = password2; // the target's password from here on
  step = `A ChangeOwnPassword as ${targetUser} with a wrong OldPassword`;
  r = await callStep('ChangeOwnPassword', target.ticket, { OldPassword: newPassword('w'), NewPassword: newPassword('n') }, step);
  let excType = r.header.ExceptionInfo && r.header.ExceptionInfo.ExceptionType;
  expect(
    r.response === false && r.header.Succeeded === 'false' && excType === WRONG_PASSWORD,
    step,
    `Response=${r.response}, Succeeded=${r.header.Succeeded}, ExceptionType=${excType}`,
  );
  ok(step, `Response=false, Succeeded=false, ExceptionType=${excType} (ticket T still valid)`);

  // B. The policy verdict with its reason (Type is the UserType enumeration, sent as text).
  async function validity(candidate, step) {
    const v = await callStep(
      'IsPasswordValidWithReason',
      target.ticket,
      { AssociateId: targetId, Type: 'InternalAssociate', PersonId: 0, Password: candidate },
      step,
    );
    expect(v.header.Succeeded === 'true', step, `Succeeded=${v.header.Succeeded}`);
    return v.response || {};
  }
  step = 'B IsPasswordValidWithReason("short")';
  let verdict = await validity('short', step);
  expect(
    verdict.Result === false && typeof verdict.Reason === 'string' && verdict.Reason !== '',
    step,
    `Result=${verdict.Result}, Reason=${JSON.stringify(verdict.Reason)}`,
  );
  ok(step, `Result=false, Reason=${JSON.stringify(verdict.Reason)}`);
  step = 'B IsPasswordValidWithReason(a long random password)';
  verdict = await validity(newPassword('long') + crypto.randomBytes(18).toString('base64url'), step);
  expect(verdict.Result === true, step, `Result=${verdict.Result}, Reason=${JSON.stringify(verdict.Reason)}`);
  ok(step, `Result=true, Reason=${JSON.stringify(verdict.Reason)}`);

  // 4. A made-up ticket, then a revoked one (the target's, after another change).
  await expectInvalidTicket(BOGUS_TICKET, '4 SetPassword with a made-up ticket');
  step = `4 SetPassword(${targetId}) again by ${adminUser}`;
  current = newPassword(`${version}b`);
  r = await setPasswordStep(admin.ticket, current, step);
  expect(r.response === true && r.header.Succeeded === 'true', step, `Response=${r.response}, Succeeded=${r.header.Succeeded}`);
  ok(step, 'Response=true, Succeeded=true');
  await expectInvalidTicket(target.ticket, `4 SetPassword with ${targetUser}'s revoked ticket`);

  // 5. The faults-mode server: the call rejects; node-soap keeps the parsed envelope in
  //    err.root, the fault in err.root.Envelope.Body.Fault.
  if (faultBase) {
    step = '5 SetPassword with a made-up ticket against NS_FAULT_BASE';
    const faulty = await client(faultBase, 'User');
    let err;
    try {
      await setPassword(BOGUS_TICKET, newPassword('f'), faulty);
    } catch (e) {
      err = e;
    }
    expect(err, step, 'no fault');
    const fault = err.root && err.root.Envelope && err.root.Envelope.Body && err.root.Envelope.Body.Fault;
    const detail = fault && (fault.detail || fault.Detail);
    excType = detail && detail.ExceptionInfo && detail.ExceptionInfo.ExceptionType;
    expect(excType === INVALID_TICKET, step, `${err.message}; ExceptionType=${excType}`);
    // (err.message reads "s:Sender: undefined: ..." in 1.2: node-soap prints the optional
    // Subcode even when a fault has none.)
    const code = fault.faultcode || (fault.Code && fault.Code.Value);
    ok(step, `fault ${code}, HTTP ${err.response && err.response.status}, ExceptionType=${excType}`);
  }
}

main().then(
  () => {
    console.log(`node-soap: ${passed} passed, 0 failed`);
    process.exit(0);
  },
  (e) => {
    console.log(`FAIL ${e instanceof CheckFailed ? e.message : e.stack}`);
    console.log(`node-soap: ${passed} passed, 1 failed`);
    process.exit(1);
  },
);
