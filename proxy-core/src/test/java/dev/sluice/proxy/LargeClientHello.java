package dev.sluice.proxy;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** A hand-made TLS record holding a ClientHello with a server name and {@code padding} bytes of an unknown extension. */
final class LargeClientHello {

    private LargeClientHello() {
    }

    static byte[] of(String serverName, int padding) {
        byte[] name = serverName.getBytes(StandardCharsets.US_ASCII);
        ByteArrayOutputStream ext = new ByteArrayOutputStream();
        short16(ext, 0); // server_name
        short16(ext, name.length + 5);
        short16(ext, name.length + 3);
        ext.write(0);
        short16(ext, name.length);
        ext.writeBytes(name);
        short16(ext, 0xfe00); // unknown, ignored
        short16(ext, padding);
        ext.writeBytes(new byte[padding]);

        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.write(3);
        body.write(3);
        body.writeBytes(new byte[32]); // random
        body.write(0); // session_id
        short16(body, 2);
        short16(body, 0x1301);
        body.write(1);
        body.write(0);
        short16(body, ext.size());
        body.writeBytes(ext.toByteArray());

        ByteArrayOutputStream record = new ByteArrayOutputStream();
        record.write(22);
        record.write(3);
        record.write(1);
        short16(record, body.size() + 4);
        record.write(1);
        record.write(body.size() >>> 16);
        short16(record, body.size() & 0xffff);
        record.writeBytes(body.toByteArray());
        return record.toByteArray();
    }

    private static void short16(ByteArrayOutputStream out, int v) {
        out.write(v >>> 8);
        out.write(v);
    }
}
