import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { standInTls } from '../graph-stand-in/tls.js';

// A Microsoft Defender for Endpoint API stand-in on https://127.0.0.1 (the Graph stand-in's certificate, so
// one CA serves both): machine actions POST /api/machines/{id}/{action} answered 201 with a MachineAction,
// and GET /api/machineactions/{id} whose status moves Pending → InProgress → the outcome the test chose.
// Tokens must be ones the Entra stand-in issued (looked up through `tokens`), unexpired, for a tenant
// registered here, and for the Defender API's audience — a Graph token is refused, as the real API does.

/** The documented end states; any other string plays a status the client does not know. */
export type MachineOutcome = 'Succeeded' | 'Failed' | 'TimeOut' | 'Cancelled' | (string & {});

/** The audiences the Defender API accepts (its own origin too: what a client on a loopback URL asks for). */
export const DEFENDER_AUDIENCES = [
  'https://api.securitycenter.microsoft.com',
  'https://api.security.microsoft.com',
];

export interface DefenderStandInOptions {
  /** What the Entra stand-in issued a bearer token for (GraphStandIn.tokenInfo). */
  readonly tokens: (
    bearer: string,
  ) => { readonly tenantId: string; readonly audience: string; readonly expiresAt: number } | undefined;
}

export interface StandInMachine {
  readonly id: string;
  readonly computerDnsName: string;
  /** What the next actions on this machine end as, and after how many status reads. */
  outcome: MachineOutcome;
  readsUntilDone: number;
  isolated: boolean;
}

export interface MachineActionRecord {
  readonly id: string;
  readonly type: string;
  readonly machineId: string;
  readonly tenantId: string;
  readonly body: Record<string, unknown>;
  status: string;
  reads: number;
}

export interface DefenderRequest {
  readonly method: string;
  readonly path: string;
  readonly tenantId: string | null;
  readonly status: number;
  readonly body: string;
}

export interface DefenderStandIn {
  readonly url: string;
  readonly actions: MachineActionRecord[];
  readonly requests: DefenderRequest[];
  addMachine(tenantId: string, id: string, computerDnsName: string, outcome?: MachineOutcome): StandInMachine;
  /** Answers the next `times` requests with this status (429 gets Retry-After: 1). */
  fail(status: number, times?: number): void;
  close(): Promise<void>;
}

const ACTIONS: Readonly<Record<string, string>> = {
  isolate: 'Isolate',
  unisolate: 'Unisolate',
  runantivirusscan: 'RunAntiVirusScan',
  collectinvestigationpackage: 'CollectInvestigationPackage',
  restrictcodeexecution: 'RestrictCodeExecution',
  unrestrictcodeexecution: 'UnrestrictCodeExecution',
  stopandquarantinefile: 'StopAndQuarantineFile',
};

const error = (status: number, code: string, message: string) => ({
  status,
  body: { error: { code, message, target: randomUUID() } },
});

function validate(type: string, body: Record<string, unknown>): string | null {
  if (typeof body.Comment !== 'string' || body.Comment.trim() === '') return 'Comment is required';
  if (type === 'Isolate' && !['Full', 'Selective'].includes(String(body.IsolationType)))
    return 'IsolationType must be Full or Selective';
  if (type === 'RunAntiVirusScan' && !['Quick', 'Full'].includes(String(body.ScanType)))
    return 'ScanType must be Quick or Full';
  if (type === 'StopAndQuarantineFile' && !/^[0-9a-fA-F]{40}$/.test(String(body.Sha1)))
    return 'Sha1 must be a SHA-1 hash';
  return null;
}

/** Starts the stand-in on a free loopback port. */
export async function startDefenderStandIn(options: DefenderStandInOptions): Promise<DefenderStandIn> {
  const tls = await standInTls();
  const machines = new Map<string, Map<string, StandInMachine>>();
  const actions: MachineActionRecord[] = [];
  const requests: DefenderRequest[] = [];
  const faults: number[] = [];
  const sockets = new Set<Socket>();
  let origin = '';

  function answer(
    req: IncomingMessage,
    url: URL,
    text: string,
  ): { status: number; body: unknown; tenantId: string | null } {
    const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    const issued = bearer === undefined ? undefined : options.tokens(bearer);
    const tenantId = issued?.tenantId ?? null;
    if (
      issued === undefined ||
      tenantId === null ||
      !machines.has(tenantId) ||
      issued.expiresAt <= Date.now()
    ) {
      return { ...error(401, 'Unauthorized', 'Authorization token is missing or invalid.'), tenantId };
    }
    if (!DEFENDER_AUDIENCES.includes(issued.audience) && issued.audience !== origin) {
      return { ...error(401, 'Unauthorized', `Invalid audience ${issued.audience}.`), tenantId };
    }
    const fault = faults.shift();
    if (fault !== undefined)
      return {
        ...error(
          fault,
          fault === 429 ? 'TooManyRequests' : 'InternalServerError',
          'Injected by the stand-in.',
        ),
        tenantId,
      };
    const tenant = machines.get(tenantId) as Map<string, StandInMachine>;
    const post = /^\/api\/machines\/([^/]+)\/([A-Za-z]+)$/.exec(url.pathname);
    if (post !== null && req.method === 'POST') {
      const type = ACTIONS[(post[2] ?? '').toLowerCase()];
      if (type === undefined) return { ...error(404, 'NotFound', 'Unknown action.'), tenantId };
      const machine = tenant.get((post[1] ?? '').toLowerCase());
      if (machine === undefined)
        return { ...error(404, 'ResourceNotFound', `Machine ${post[1]} was not found.`), tenantId };
      let body: Record<string, unknown>;
      try {
        body = JSON.parse(text) as Record<string, unknown>;
      } catch {
        return { ...error(400, 'InvalidRequestBody', 'The body is not JSON.'), tenantId };
      }
      const invalid = validate(type, body);
      if (invalid !== null) return { ...error(400, 'InvalidRequestBody', invalid), tenantId };
      const record: MachineActionRecord = {
        id: randomUUID(),
        type,
        machineId: machine.id,
        tenantId,
        body,
        status: 'Pending',
        reads: 0,
      };
      actions.push(record);
      return { status: 201, body: view(record, machine), tenantId };
    }
    const get = /^\/api\/machineactions\/([^/]+)$/.exec(url.pathname);
    if (get !== null && req.method === 'GET') {
      const record = actions.find(
        (a) => a.id === decodeURIComponent(get[1] ?? '') && a.tenantId === tenantId,
      );
      if (record === undefined)
        return { ...error(404, 'ResourceNotFound', 'Machine action was not found.'), tenantId };
      const machine = tenant.get(record.machineId) as StandInMachine;
      record.reads += 1;
      if (record.status === 'Pending' || record.status === 'InProgress') {
        record.status = record.reads >= machine.readsUntilDone ? machine.outcome : 'InProgress';
        if (record.status === 'Succeeded' && record.type === 'Isolate') machine.isolated = true;
        if (record.status === 'Succeeded' && record.type === 'Unisolate') machine.isolated = false;
      }
      return { status: 200, body: view(record, machine), tenantId };
    }
    return { ...error(404, 'NotFound', 'No such API.'), tenantId };
  }

  const view = (a: MachineActionRecord, m: StandInMachine) => ({
    '@odata.context': 'https://api.security.microsoft.com/api/$metadata#MachineActions/$entity',
    id: a.id,
    type: a.type,
    scope: a.body.IsolationType ?? a.body.ScanType ?? null,
    requestor: 'a0b1c2d3-0000-4000-8000-00000000c11e',
    requestorComment: a.body.Comment,
    status: a.status,
    machineId: m.id,
    computerDnsName: m.computerDnsName,
    creationDateTimeUtc: new Date().toISOString(),
    lastUpdateDateTimeUtc: new Date().toISOString(),
  });

  const server = createServer(
    { key: tls.key, cert: tls.cert },
    (req: IncomingMessage, res: ServerResponse) => {
      let text = '';
      req.setEncoding('utf8');
      req.on('data', (chunk: string) => (text += chunk));
      req.on('end', () => {
        const url = new URL(req.url ?? '/', 'https://127.0.0.1');
        const a = answer(req, url, text);
        requests.push({
          method: req.method ?? 'GET',
          path: url.pathname,
          tenantId: a.tenantId,
          status: a.status,
          body: text,
        });
        res.writeHead(a.status, {
          'content-type': 'application/json',
          ...(a.status === 429 ? { 'retry-after': '1' } : {}),
        });
        res.end(JSON.stringify(a.body));
      });
    },
  );
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  origin = url;

  return {
    url,
    actions,
    requests,
    addMachine(tenantId, id, computerDnsName, outcome = 'Succeeded') {
      let tenant = machines.get(tenantId);
      if (tenant === undefined) {
        tenant = new Map();
        machines.set(tenantId, tenant);
      }
      const machine: StandInMachine = {
        id: id.toLowerCase(),
        computerDnsName,
        outcome,
        readsUntilDone: 2,
        isolated: false,
      };
      tenant.set(machine.id, machine);
      return machine;
    },
    fail(status, times = 1) {
      for (let i = 0; i < times; i += 1) faults.push(status);
    },
    async close() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const socket of sockets) socket.destroy();
      await closed;
    },
  };
}
