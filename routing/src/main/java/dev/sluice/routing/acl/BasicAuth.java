package dev.sluice.routing.acl;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.sluice.routing.RequestView;
import dev.sluice.routing.config.UserlistConfig;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.codec.digest.Crypt;

/**
 * A compiled {@code userlist}: checks {@code Authorization: Basic} against its users. Crypt is
 * slow by design, so verdicts are cached per header value (bounded, expiring).
 */
public final class BasicAuth {

    private final Map<String, UserlistConfig.User> users;
    private final Cache<String, Boolean> verdicts = Caffeine.newBuilder()
            .maximumSize(10_000)
            .expireAfterWrite(Duration.ofMinutes(10))
            .build();

    private BasicAuth(Map<String, UserlistConfig.User> users) {
        this.users = Map.copyOf(users);
    }

    /** Equal userlists share one instance (and its verdicts) while some routing table uses it. */
    private static final Cache<UserlistConfig, BasicAuth> SHARED = Caffeine.newBuilder().weakValues().build();

    /** The compiled {@code userlist}; recompiling an unchanged list keeps its cached verdicts. */
    public static BasicAuth of(UserlistConfig userlist) {
        return SHARED.get(userlist, BasicAuth::build);
    }

    private static BasicAuth build(UserlistConfig userlist) {
        Map<String, UserlistConfig.User> byName = new HashMap<>();
        for (UserlistConfig.User u : userlist.users()) {
            byName.putIfAbsent(u.name(), u);
        }
        return new BasicAuth(byName);
    }

    /** @throws IllegalArgumentException when {@code hash} is not a crypt format Sluice can check */
    public static void validateHash(String hash) {
        boolean ok = hash.startsWith("$1$") || hash.startsWith("$5$") || hash.startsWith("$6$")
                     || hash.matches("[a-zA-Z0-9./]{13}");
        if (!ok) {
            throw new IllegalArgumentException("unsupported password hash (expected crypt $1$, $5$, $6$ "
                    + "or 13-character DES; use insecure-password for clear text)");
        }
    }

    /** Whether the first Authorization header holds valid Basic credentials of this list. */
    public boolean check(RequestView request) {
        List<String> lines = request.headerLines("authorization");
        if (lines.isEmpty()) {
            return false;
        }
        String value = lines.get(0).trim();
        return verdicts.get(value, this::verify);
    }

    private boolean verify(String header) {
        if (header.length() < 6 || !header.regionMatches(true, 0, "Basic ", 0, 6)) {
            return false;
        }
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(header.substring(6).trim()),
                    StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return false;
        }
        int colon = decoded.indexOf(':');
        if (colon < 0) {
            return false;
        }
        UserlistConfig.User user = users.get(decoded.substring(0, colon));
        return user != null && passwordMatches(user, decoded.substring(colon + 1));
    }

    private static boolean passwordMatches(UserlistConfig.User user, String password) {
        byte[] expected = user.password().getBytes(StandardCharsets.UTF_8);
        if (user.insecure()) {
            return MessageDigest.isEqual(expected, password.getBytes(StandardCharsets.UTF_8));
        }
        try {
            String computed = Crypt.crypt(password.getBytes(StandardCharsets.UTF_8), user.password());
            return MessageDigest.isEqual(expected, computed.getBytes(StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
