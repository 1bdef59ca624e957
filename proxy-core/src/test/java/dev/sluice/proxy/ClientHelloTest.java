package dev.sluice.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** The first TLS record of a client, read as HAProxy reads it for req.ssl_sni and req.ssl_hello_type. */
class ClientHelloTest {

    private static ClientHello parse(byte[] bytes) {
        ByteBuf buf = Unpooled.wrappedBuffer(bytes);
        try {
            int before = buf.readerIndex();
            ClientHello hello = ClientHello.parse(buf);
            assertThat(buf.readerIndex()).isEqualTo(before);
            return hello;
        } finally {
            buf.release();
        }
    }

    @Test
    void aRealClientHello_givesItsTypeAndServerName() throws Exception {
        ClientHello hello = parse(SniPassthroughTest.clientHello("Shop.Example"));
        assertThat(hello).isEqualTo(new ClientHello(ClientHello.State.COMPLETE, 1, "Shop.Example"));
        assertThat(parse(SniPassthroughTest.clientHello(null)))
                .isEqualTo(new ClientHello(ClientHello.State.COMPLETE, 1, null));
    }

    @Test
    void everyPrefixOfTheRecord_isPending() throws Exception {
        byte[] hello = SniPassthroughTest.clientHello("a.example");
        for (int n = 0; n < hello.length; n++) {
            assertThat(parse(Arrays.copyOf(hello, n)).state()).as("first %d bytes", n).isEqualTo(ClientHello.State.PENDING);
        }
    }

    @Test
    void plainTextAndOtherRecords_areNotTls() {
        assertThat(parse("GET / HTTP/1.1\r\n".getBytes(StandardCharsets.US_ASCII))).isEqualTo(ClientHello.NOT_TLS);
        assertThat(parse(new byte[] {22, 2, 0})).as("SSLv2 version").isEqualTo(ClientHello.NOT_TLS);
        assertThat(parse(new byte[] {22, 3, 1, 0, 3, 1, 0, 0})).as("shorter than a handshake header")
                .isEqualTo(ClientHello.NOT_TLS);
    }

    @Test
    void aServerNameBeyondTheFirstRecord_orTruncated_isNotFound() {
        byte[] whole = LargeClientHello.of("a.example", 10);
        assertThat(parse(whole).sni()).isEqualTo("a.example");
        // the same hello cut into records of 40 bytes: the name's extension starts past the first record
        byte[] first = Arrays.copyOfRange(whole, 5, 45);
        byte[] record = new byte[45];
        record[0] = 22;
        record[1] = 3;
        record[2] = 1;
        record[4] = 40;
        System.arraycopy(first, 0, record, 5, 40);
        assertThat(parse(record)).isEqualTo(new ClientHello(ClientHello.State.COMPLETE, 1, null));
        // a server_name extension longer than what the record holds
        byte[] lying = whole.clone();
        int nameLength = 5 + 4 + 2 + 32 + 1 + 2 + 2 + 1 + 1 + 2 + 2 + 2 + 2 + 1;
        lying[nameLength] = (byte) 200;
        assertThat(parse(lying).sni()).isNull();
    }
}
