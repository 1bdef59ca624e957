package dev.sluice.routing.config;

/** {@code balance ALGORITHM}; {@code arg} is the header name of {@code hdr(NAME)}, else {@code null}. */
public record BalanceConfig(String algorithm, String arg) {

    public static final BalanceConfig DEFAULT = new BalanceConfig("roundrobin", null);

    public String text() {
        return arg == null ? algorithm : algorithm + '(' + arg + ')';
    }
}
