// A ZIP archive of a directory (deflated, Unix modes kept, fixed dates so the same tree gives the
// same bytes): RaveOS takes custom miners as ZIP files. No ZIP64: entries stay under 4 GiB.
import { closeSync, lstatSync, openSync, readdirSync, readFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { crc32, deflateRawSync } from 'node:zlib';

/** 2000-01-01 00:00 in MS-DOS form. */
const DOS_TIME = 0;
const DOS_DATE = ((2000 - 1980) << 9) | (1 << 5) | 1;
const UTF8_NAMES = 0x0800;

/** The fields a local header and a central record share (version needed … name length), at `at`. */
function writeEntryFields(buffer, at, { method, crc, packed, size, name }) {
  buffer.writeUInt16LE(20, at);
  buffer.writeUInt16LE(UTF8_NAMES, at + 2);
  buffer.writeUInt16LE(method, at + 4);
  buffer.writeUInt16LE(DOS_TIME, at + 6);
  buffer.writeUInt16LE(DOS_DATE, at + 8);
  buffer.writeUInt32LE(crc, at + 10);
  buffer.writeUInt32LE(packed, at + 14);
  buffer.writeUInt32LE(size, at + 18);
  buffer.writeUInt16LE(name, at + 22);
}

/** Every file and directory under `dir`, parents first, by name. */
function walk(dir, prefix, out = []) {
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    const stat = lstatSync(path);
    const entry = `${prefix}${name}`;
    if (stat.isDirectory()) {
      out.push({ name: `${entry}/`, path, mode: stat.mode, dir: true });
      walk(path, `${entry}/`, out);
    } else if (stat.isFile()) {
      out.push({ name: entry, path, mode: stat.mode, dir: false });
    } else {
      throw new Error(`${path}: only files and directories go into the ZIP`);
    }
  }
  return out;
}

/** Writes `dir`'s contents (not `dir` itself) to `file`. */
export function zipDirectory(dir, file, level = 6) {
  const fd = openSync(file, 'w');
  const central = [];
  let offset = 0;
  const write = (buffer) => {
    writeSync(fd, buffer);
    offset += buffer.length;
  };
  try {
    for (const entry of walk(dir, '')) {
      const name = Buffer.from(entry.name, 'utf8');
      const data = entry.dir ? Buffer.alloc(0) : readFileSync(entry.path);
      const packed = entry.dir ? data : deflateRawSync(data, { level });
      const method = entry.dir ? 0 : 8;
      const fields = { method, crc: crc32(data), packed: packed.length, size: data.length, name: name.length };
      const local = Buffer.alloc(30);
      local.writeUInt32LE(0x04034b50, 0);
      writeEntryFields(local, 4, fields);
      const at = offset;
      write(Buffer.concat([local, name]));
      write(packed);
      const header = Buffer.alloc(46);
      header.writeUInt32LE(0x02014b50, 0);
      header.writeUInt16LE((3 << 8) | 20, 4); // made by Unix: the upper half of the external attributes is the mode
      writeEntryFields(header, 6, fields);
      header.writeUInt32LE(((entry.mode & 0xffff) << 16 | (entry.dir ? 0x10 : 0)) >>> 0, 38);
      header.writeUInt32LE(at, 42);
      central.push(Buffer.concat([header, name]));
    }
    const start = offset;
    for (const record of central) write(record);
    const end = Buffer.alloc(22);
    end.writeUInt32LE(0x06054b50, 0);
    end.writeUInt16LE(central.length, 8);
    end.writeUInt16LE(central.length, 10);
    end.writeUInt32LE(offset - start, 12);
    end.writeUInt32LE(start, 16);
    write(end);
  } finally {
    closeSync(fd);
  }
}
