package dev.sluice.admin;

import java.io.IOException;
import java.util.List;
import java.util.Map;

/** The certificates behind Docker Flow Proxy's {@code cert} and {@code certs} endpoints. */
public interface CertificateAdmin {

    /**
     * Validates {@code pem} (chain plus key), writes it durably under the certificates directory
     * as {@code name} and serves it from the next handshake on, without a restart.
     *
     * @return what is now served (names, expiry, warnings), for the answer
     * @throws IllegalArgumentException a bad name or PEM: the message says what is wrong; nothing changed
     * @throws IOException              it could not be written; nothing changed
     */
    Map<String, Object> put(String name, String pem) throws IOException;

    /**
     * Checks {@code pem} as {@link #put} would, without storing it.
     *
     * @throws IllegalArgumentException a bad name or PEM: the message says what is wrong
     */
    void validate(String name, String pem);

    /** The certificates served, without their keys. */
    List<Map<String, Object>> list();

    /**
     * The certificate files of the certificates directory by name, PEM with key: what a new
     * replica takes from a peer. Certificates from secrets are not included (every replica has them).
     */
    default Map<String, String> export() {
        return Map.of();
    }
}
