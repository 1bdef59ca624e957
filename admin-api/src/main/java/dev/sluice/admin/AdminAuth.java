package dev.sluice.admin;

import static java.util.Objects.requireNonNull;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/**
 * Basic-auth credentials for the admin endpoint ({@code ADMIN_USER} / {@code ADMIN_PASS}).
 * Comparison is constant-time over SHA-256 digests, so neither the content nor the length of
 * the secret leaks through timing.
 */
public final class AdminAuth {

    private final byte[] expected;

    public AdminAuth(String user, String password) {
        requireNonNull(user, "user");
        requireNonNull(password, "password");
        this.expected = digest(user + ':' + password);
    }

    /** Whether an {@code Authorization} header value carries the right credentials. */
    public boolean accepts(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            return false;
        }
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(authorization.substring(6).trim()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return false;
        }
        return MessageDigest.isEqual(expected, digest(decoded));
    }

    private static byte[] digest(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }
}
