import { createHash, timingSafeEqual } from 'node:crypto';
import { type Dirent, promises as fs, type Stats } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join, normalize, posix } from 'node:path';
import { type Connection, Server, type SFTPWrapper, utils } from 'ssh2';

const { OPEN_MODE, STATUS_CODE } = utils.sftp;

export interface LocalSftpServerOptions {
  /** Directory the SFTP user sees as `/`. */
  root: string;
  username: string;
  password?: string;
  /** OpenSSH public key line (`ssh-ed25519 AAAA…`) accepted for public-key login. */
  authorizedKey?: string;
  /** OpenSSH private host key; a fresh ed25519 key when absent. */
  hostKey?: string;
  port?: number;
  host?: string;
}

export interface StoredFile {
  path: string;
  size: number;
  modifiedMillis: number;
}

/**
 * A real SSH/SFTP server (ssh2's server side) rooted in a directory, for `npm start` and tests on machines where
 * OpenSSH's sshd cannot run (it needs root and a system user). It speaks the same protocol as sshd to the uploader:
 * host key (pin it with `hostKeyFingerprint`), password or public-key login, and the SFTP v3 requests an uploader uses
 * (open/write/close, stat, mkdir, readdir, remove, rename and OpenSSH's posix-rename extension).
 * Paths cannot escape the root.
 */
export class LocalSftpServer {
  private readonly server: Server;
  private readonly connections = new Set<Connection>();
  readonly hostPublicKey: string;
  readonly uploads: string[] = [];

  private constructor(
    private readonly options: LocalSftpServerOptions,
    hostKey: string,
  ) {
    const parsed = utils.parseKey(hostKey);
    if (parsed instanceof Error) throw parsed;
    const key = Array.isArray(parsed) ? parsed[0]! : parsed;
    this.hostPublicKey = `${key.type} ${key.getPublicSSH().toString('base64')}`;
    this.server = new Server({ hostKeys: [hostKey] }, (client) => this.accept(client));
  }

  static async start(options: LocalSftpServerOptions): Promise<LocalSftpServer> {
    const hostKey = options.hostKey ?? utils.generateKeyPairSync('ed25519').private;
    await fs.mkdir(options.root, { recursive: true });
    const s = new LocalSftpServer(options, hostKey);
    await new Promise<void>((resolve, reject) => {
      s.server.once('error', reject);
      s.server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
    });
    return s;
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  /** OpenSSH-style `SHA256:…` fingerprint of the host key (what `ssh-keygen -lf` prints). */
  get hostKeyFingerprint(): string {
    return fingerprintOf(this.hostPublicKey);
  }

  /** Regular files under the root, newest first. */
  async files(dir = '/'): Promise<StoredFile[]> {
    const out: StoredFile[] = [];
    const walk = async (rel: string): Promise<void> => {
      let entries: Dirent[];
      try {
        entries = await fs.readdir(this.resolve(rel), { withFileTypes: true });
      } catch {
        return;
      }
      for (const e of entries) {
        const child = posix.join(rel, e.name);
        if (e.isDirectory()) await walk(child);
        else if (e.isFile()) {
          const st = await fs.stat(this.resolve(child));
          out.push({ path: child, size: st.size, modifiedMillis: st.mtimeMs });
        }
      }
    };
    await walk(dir);
    return out.sort((a, b) => b.modifiedMillis - a.modifiedMillis);
  }

  async stop(): Promise<void> {
    for (const c of this.connections) c.end();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** Absolute local path of an SFTP path (always inside the root). */
  resolve(path: string): string {
    const clean = normalize(posix.resolve('/', path.replace(/\\/g, '/')));
    return join(this.options.root, clean);
  }

  private accept(client: Connection): void {
    this.connections.add(client);
    client.on('close', () => this.connections.delete(client));
    client.on('error', () => undefined);
    client.on('authentication', (ctx) => {
      if (ctx.username !== this.options.username) return ctx.reject();
      if (
        ctx.method === 'password' &&
        this.options.password !== undefined &&
        equal(ctx.password, this.options.password)
      )
        return ctx.accept();
      if (ctx.method === 'publickey' && this.options.authorizedKey && this.keyMatches(ctx.key)) {
        if (!ctx.signature) return ctx.accept(); // the client asks whether the key would do
        const allowed = utils.parseKey(this.options.authorizedKey);
        const key = Array.isArray(allowed) ? allowed[0] : allowed;
        if (key && !(key instanceof Error) && ctx.blob && key.verify(ctx.blob, ctx.signature, ctx.hashAlgo))
          return ctx.accept();
      }
      const methods: ('password' | 'publickey')[] = [];
      if (this.options.password !== undefined) methods.push('password');
      if (this.options.authorizedKey) methods.push('publickey');
      ctx.reject(methods);
    });
    client.on('ready', () => {
      client.on('session', (acceptSession) => {
        const session = acceptSession();
        session.on('sftp', (acceptSftp) => {
          const sftp = acceptSftp();
          advertisePosixRename(sftp);
          this.serve(sftp);
        });
      });
    });
  }

  private keyMatches(key: { algo: string; data: Buffer }): boolean {
    const allowed = this.options.authorizedKey?.trim().split(/\s+/);
    return !!allowed && allowed[0] === key.algo && allowed[1] === key.data.toString('base64');
  }

  private serve(sftp: SFTPWrapper): void {
    const handles = new Map<
      number,
      { fd?: fs.FileHandle; dir?: string; listed?: boolean; path: string; writing: boolean }
    >();
    let nextHandle = 1;
    const handleBuf = (n: number) => {
      const b = Buffer.alloc(4);
      b.writeUInt32BE(n);
      return b;
    };
    const lookup = (b: Buffer) => (b.length === 4 ? handles.get(b.readUInt32BE()) : undefined);
    const fail = (id: number, e: unknown) =>
      sftp.status(id, (e as NodeJS.ErrnoException)?.code === 'ENOENT' ? STATUS_CODE.NO_SUCH_FILE : STATUS_CODE.FAILURE);
    const attrs = (st: Stats) => ({
      mode: st.mode,
      uid: 0,
      gid: 0,
      size: st.size,
      atime: Math.floor(st.atimeMs / 1000),
      mtime: Math.floor(st.mtimeMs / 1000),
    });

    sftp.on('REALPATH', (id, path) => {
      const p = posix.resolve('/', path || '.');
      sftp.name(id, [{ filename: p, longname: p, attrs: {} as never }]);
    });
    sftp.on('OPEN', (id, path, flags) => {
      const write = (flags & OPEN_MODE.WRITE) !== 0;
      let mode = 'r';
      if (write)
        mode = flags & OPEN_MODE.APPEND ? 'a' : flags & OPEN_MODE.TRUNC || flags & OPEN_MODE.CREAT ? 'w' : 'r+';
      if (write && flags & OPEN_MODE.EXCL) mode = 'wx';
      fs.open(this.resolve(path), mode).then(
        (fd) => {
          const h = nextHandle++;
          handles.set(h, { fd, path, writing: write });
          sftp.handle(id, handleBuf(h));
        },
        (e) => fail(id, e),
      );
    });
    sftp.on('WRITE', (id, handle, offset, data) => {
      const h = lookup(handle);
      if (!h?.fd) return sftp.status(id, STATUS_CODE.FAILURE);
      h.fd.write(data, 0, data.length, offset).then(
        () => sftp.status(id, STATUS_CODE.OK),
        (e) => fail(id, e),
      );
    });
    sftp.on('READ', (id, handle, offset, length) => {
      const h = lookup(handle);
      if (!h?.fd) return sftp.status(id, STATUS_CODE.FAILURE);
      const buf = Buffer.alloc(length);
      h.fd.read(buf, 0, length, offset).then(
        ({ bytesRead }) =>
          bytesRead === 0 ? sftp.status(id, STATUS_CODE.EOF) : sftp.data(id, buf.subarray(0, bytesRead)),
        (e) => fail(id, e),
      );
    });
    sftp.on('FSTAT', (id, handle) => {
      const h = lookup(handle);
      if (!h?.fd) return sftp.status(id, STATUS_CODE.FAILURE);
      h.fd.stat().then(
        (st) => sftp.attrs(id, attrs(st)),
        (e) => fail(id, e),
      );
    });
    const stat = (id: number, path: string) =>
      fs.stat(this.resolve(path)).then(
        (st) => sftp.attrs(id, attrs(st)),
        (e) => fail(id, e),
      );
    sftp.on('STAT', stat);
    sftp.on('LSTAT', stat);
    sftp.on('SETSTAT', (id) => sftp.status(id, STATUS_CODE.OK));
    sftp.on('FSETSTAT', (id) => sftp.status(id, STATUS_CODE.OK));
    sftp.on('CLOSE', (id, handle) => {
      const h = lookup(handle);
      if (!h) return sftp.status(id, STATUS_CODE.FAILURE);
      handles.delete(handle.readUInt32BE());
      if (h.writing) this.uploads.push(h.path);
      (h.fd ? h.fd.close() : Promise.resolve()).then(
        () => sftp.status(id, STATUS_CODE.OK),
        (e) => fail(id, e),
      );
    });
    sftp.on('OPENDIR', (id, path) => {
      fs.stat(this.resolve(path)).then(
        (st) => {
          if (!st.isDirectory()) return sftp.status(id, STATUS_CODE.FAILURE);
          const h = nextHandle++;
          handles.set(h, { dir: path, path, writing: false });
          sftp.handle(id, handleBuf(h));
        },
        (e) => fail(id, e),
      );
    });
    sftp.on('READDIR', (id, handle) => {
      const h = lookup(handle);
      if (!h?.dir) return sftp.status(id, STATUS_CODE.FAILURE);
      if (h.listed) return sftp.status(id, STATUS_CODE.EOF);
      h.listed = true;
      const dir = this.resolve(h.dir);
      fs.readdir(dir).then(
        async (names) => {
          const list = [];
          for (const filename of names) {
            const st = await fs.stat(join(dir, filename)).catch(() => undefined);
            if (st) list.push({ filename, longname: longname(filename, st), attrs: attrs(st) });
          }
          if (list.length === 0) sftp.status(id, STATUS_CODE.EOF);
          else sftp.name(id, list);
        },
        (e) => fail(id, e),
      );
    });
    sftp.on('MKDIR', (id, path) =>
      fs.mkdir(this.resolve(path)).then(
        () => sftp.status(id, STATUS_CODE.OK),
        (e) => fail(id, e),
      ),
    );
    sftp.on('RMDIR', (id, path) =>
      fs.rmdir(this.resolve(path)).then(
        () => sftp.status(id, STATUS_CODE.OK),
        (e) => fail(id, e),
      ),
    );
    sftp.on('REMOVE', (id, path) =>
      fs.unlink(this.resolve(path)).then(
        () => sftp.status(id, STATUS_CODE.OK),
        (e) => fail(id, e),
      ),
    );
    // SFTPv3 rename fails onto an existing file (as OpenSSH does); posix-rename replaces it atomically.
    sftp.on('RENAME', (id, from, to) =>
      fs
        .access(this.resolve(to))
        .then(
          () => sftp.status(id, STATUS_CODE.FAILURE),
          () => fs.rename(this.resolve(from), this.resolve(to)).then(() => sftp.status(id, STATUS_CODE.OK)),
        )
        .catch((e) => fail(id, e)),
    );
    sftp.on('EXTENDED', (id, name, data) => {
      if (name !== 'posix-rename@openssh.com' || !data) return sftp.status(id, STATUS_CODE.OP_UNSUPPORTED);
      const fromLen = data.readUInt32BE(0);
      const from = data.subarray(4, 4 + fromLen).toString('utf8');
      const toLen = data.readUInt32BE(4 + fromLen);
      const to = data.subarray(8 + fromLen, 8 + fromLen + toLen).toString('utf8');
      fs.rename(this.resolve(from), this.resolve(to)).then(
        () => sftp.status(id, STATUS_CODE.OK),
        (e) => fail(id, e),
      );
    });
  }
}

/** OpenSSH's `SHA256:<base64, no padding>` fingerprint of a public key line (`<type> <base64 blob> [comment]`). */
export function fingerprintOf(publicKeyLine: string): string {
  const blob = Buffer.from(publicKeyLine.trim().split(/\s+/)[1] ?? '', 'base64');
  return `SHA256:${createHash('sha256').update(blob).digest('base64').replace(/=+$/, '')}`;
}

/** An `ls -l` line: clients derive the entry type and rights from it. */
function longname(name: string, st: Stats): string {
  const bits = 'rwxrwxrwx'
    .split('')
    .map((c, i) => (st.mode & (1 << (8 - i)) ? c : '-'))
    .join('');
  const date = new Date(st.mtimeMs).toUTCString().slice(8, 22);
  return `${st.isDirectory() ? 'd' : '-'}${bits} 1 sftp sftp ${String(st.size).padStart(8)} ${date} ${name}`;
}

function equal(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * ssh2's server answers INIT with a bare VERSION packet (no extensions), so clients would refuse posix-rename, which
 * uploaders use to replace files atomically. Rewrite that one packet to advertise the extension, as sshd does.
 */
function advertisePosixRename(sftp: SFTPWrapper): void {
  const internal = sftp as unknown as {
    _protocol: { channelData(id: number, data: Buffer): void };
    outgoing: { id: number; window: number };
  };
  const protocol = internal._protocol;
  const original = protocol.channelData;
  const ext = (s: string) => {
    const b = Buffer.alloc(4 + Buffer.byteLength(s));
    b.writeUInt32BE(Buffer.byteLength(s));
    b.write(s, 4);
    return b;
  };
  protocol.channelData = function (id: number, data: Buffer) {
    if (id === internal.outgoing.id && data.length === 9 && data[4] === 2) {
      protocol.channelData = original;
      const body = Buffer.concat([data.subarray(4), ext('posix-rename@openssh.com'), ext('1')]);
      const len = Buffer.alloc(4);
      len.writeUInt32BE(body.length);
      internal.outgoing.window -= body.length + 4 - data.length;
      return original.call(this, id, Buffer.concat([len, body]));
    }
    return original.call(this, id, data);
  };
}
