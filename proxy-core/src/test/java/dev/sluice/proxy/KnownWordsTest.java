package dev.sluice.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.AsciiString;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

class KnownWordsTest {

    private static byte[] line(String s) {
        return ("xx" + s + "yy").getBytes(StandardCharsets.ISO_8859_1);
    }

    @Test
    void headerName_isSharedOnlyForExactlyItsBytes() {
        assertThat((CharSequence) KnownWords.headerName(line("Content-Length"), 2, 14)).hasToString("Content-Length");
        assertThat((CharSequence) KnownWords.headerName(line("content-length"), 2, 14)).hasToString("content-length");
        assertThat((CharSequence) KnownWords.headerName(line("Content-Length"), 2, 14))
                .isSameAs(KnownWords.headerName(line("Content-Length"), 2, 14));
        // another case, another name of that length, a prefix: not shared (the decoder copies them)
        assertThat((CharSequence) KnownWords.headerName(line("CONTENT-LENGTH"), 2, 14)).isNull();
        assertThat((CharSequence) KnownWords.headerName(line("Content-Lengtx"), 2, 14)).isNull();
        assertThat((CharSequence) KnownWords.headerName(line("Content-Length"), 2, 13)).isNull();
        assertThat((CharSequence) KnownWords.headerName(line("X-Custom-Header-Longer-Than-Any-Known-Name"), 2, 42)).isNull();
    }

    @Test
    void startLineWords_areSharedOnlyWhenExact() {
        assertThat(KnownWords.version(line("HTTP/1.1"), 2, 8)).isEqualTo("HTTP/1.1");
        assertThat(KnownWords.version(line("HTTP/1.0"), 2, 8)).isEqualTo("HTTP/1.0");
        assertThat(KnownWords.version(line("http/1.1"), 2, 8)).isNull();
        // the literal itself: HttpVersion.valueOf returns its constant for it without parsing
        assertThat(KnownWords.version(line("HTTP/1.1"), 2, 8)).isSameAs("HTTP/1.1");
        assertThat(KnownWords.version(line("HTTP/1.0"), 2, 8)).isSameAs("HTTP/1.0");
        assertThat(KnownWords.statusCode(line("200"), 2, 3)).isEqualTo("200");
        assertThat(KnownWords.statusCode(line("299"), 2, 3)).isNull();
        assertThat(KnownWords.reason(line("OK"), 2, 2)).isEqualTo("OK");
        assertThat(KnownWords.reason(line("Ok"), 2, 2)).isNull();
        assertThat(KnownWords.method(line("DELETE"), 2, 6)).isSameAs(HttpMethod.DELETE.name());
        assertThat(KnownWords.method(line("delete"), 2, 6)).isNull();
        assertThat(KnownWords.method(line("PURGE"), 2, 5)).isNull();
    }

    @Test
    void decodersHeaders_checkEveryNameButTheShared() {
        AsciiString shared = KnownWords.headerName(line("Content-Length"), 2, 14);
        assertThat(KnownWords.isShared(shared)).isTrue();
        assertThat(KnownWords.isShared(new AsciiString("Content-Length"))).isFalse();
        assertThat(KnownWords.isShared("Content-Length")).isFalse();
        HttpHeaders headers = KnownWords.HEADERS.newHeaders();
        headers.add(shared, "1");
        headers.add("X-Custom", "2");
        assertThat(headers.get("content-length")).isEqualTo("1");
        assertThatThrownBy(() -> headers.add("Bad Name", "3")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> headers.add("Bad\u0001", "3")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> headers.add("", "3")).isInstanceOf(IllegalArgumentException.class);
        assertThat(headers.names()).containsExactlyInAnyOrder("Content-Length", "X-Custom");
    }
}
