package dev.sluice.routing.acl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.routing.TestRequest;
import dev.sluice.routing.config.UserlistConfig;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.apache.commons.codec.digest.Md5Crypt;
import org.apache.commons.codec.digest.Sha2Crypt;
import org.apache.commons.codec.digest.UnixCrypt;
import org.junit.jupiter.api.Test;

class BasicAuthTest {

    private static TestRequest basic(String user, String password) {
        String token = Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
        return TestRequest.get("/").header("Authorization", "Basic " + token);
    }

    private static BasicAuth list(UserlistConfig.User... users) {
        return BasicAuth.of(new UserlistConfig("u", List.of(users), List.of()));
    }

    private static UserlistConfig.User hashed(String name, String hash) {
        return new UserlistConfig.User(name, hash, false, List.of());
    }

    @Test
    void everySupportedCryptFormat_acceptsTheRightPasswordOnly() {
        BasicAuth auth = list(
                hashed("md5", Md5Crypt.md5Crypt("pw1".getBytes(), "$1$abcdefgh")),
                hashed("sha256", Sha2Crypt.sha256Crypt("pw2".getBytes(), "$5$saltsalt")),
                hashed("sha512", Sha2Crypt.sha512Crypt("pw3".getBytes(), "$6$saltsalt")),
                hashed("des", UnixCrypt.crypt("pw4", "ab")),
                new UserlistConfig.User("plain", "pw5", true, List.of()));
        assertThat(auth.check(basic("md5", "pw1"))).isTrue();
        assertThat(auth.check(basic("sha256", "pw2"))).isTrue();
        assertThat(auth.check(basic("sha512", "pw3"))).isTrue();
        assertThat(auth.check(basic("des", "pw4"))).isTrue();
        assertThat(auth.check(basic("plain", "pw5"))).isTrue();
        assertThat(auth.check(basic("md5", "wrong"))).isFalse();
        assertThat(auth.check(basic("sha512", "pw1"))).isFalse();
        assertThat(auth.check(basic("plain", "PW5"))).isFalse();
        assertThat(auth.check(basic("nobody", "pw1"))).isFalse();
    }

    @Test
    void cachedVerdicts_stayCorrectOnRepeatedRequests() {
        BasicAuth auth = list(hashed("ann", Sha2Crypt.sha512Crypt("secret".getBytes(), "$6$0123456789")));
        for (int i = 0; i < 3; i++) {
            assertThat(auth.check(basic("ann", "secret"))).isTrue();
            assertThat(auth.check(basic("ann", "secreT"))).isFalse();
        }
    }

    @Test
    void missingOrMalformedAuthorization_isRejected() {
        BasicAuth auth = list(new UserlistConfig.User("a", "b", true, List.of()));
        assertThat(auth.check(TestRequest.get("/"))).isFalse();
        assertThat(auth.check(TestRequest.get("/").header("Authorization", "Bearer xyz"))).isFalse();
        assertThat(auth.check(TestRequest.get("/").header("Authorization", "Basic !!!"))).isFalse();
        String noColon = Base64.getEncoder().encodeToString("ab".getBytes());
        assertThat(auth.check(TestRequest.get("/").header("Authorization", "Basic " + noColon))).isFalse();
        assertThat(auth.check(TestRequest.get("/").header("Authorization", "basic "
                + Base64.getEncoder().encodeToString("a:b".getBytes())))).isTrue();
    }

    @Test
    void equalUserlists_shareOneCompiledInstance() {
        UserlistConfig a = new UserlistConfig("u", List.of(new UserlistConfig.User("a", "b", true, List.of())), List.of());
        UserlistConfig b = new UserlistConfig("u", List.of(new UserlistConfig.User("a", "b", true, List.of())), List.of());
        UserlistConfig c = new UserlistConfig("u", List.of(new UserlistConfig.User("a", "c", true, List.of())), List.of());
        assertThat(BasicAuth.of(a)).isSameAs(BasicAuth.of(b));
        assertThat(BasicAuth.of(a)).isNotSameAs(BasicAuth.of(c));
    }

    @Test
    void passwordsMayContainColons() {
        BasicAuth auth = list(new UserlistConfig.User("a", "x:y", true, List.of()));
        assertThat(auth.check(basic("a", "x:y"))).isTrue();
    }

    @Test
    void unsupportedHashes_areRejectedUpFront() {
        assertThatThrownBy(() -> BasicAuth.validateHash("$2y$10$abcdefghijklmnopqrstuv"))
                .hasMessageContaining("unsupported password hash");
        assertThatThrownBy(() -> BasicAuth.validateHash("plaintext")).isInstanceOf(IllegalArgumentException.class);
        BasicAuth.validateHash(UnixCrypt.crypt("x", "zz"));
    }
}
