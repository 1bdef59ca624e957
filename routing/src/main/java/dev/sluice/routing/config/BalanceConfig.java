package dev.sluice.routing.config;

/**
 * {@code balance ALGORITHM}; {@code arg} is the header name of {@code hdr(NAME)}, else
 * {@code null}. {@code allBackups} is {@code option allbackups}: with no primary server usable,
 * balance over every backup server instead of sending everything to the first usable one.
 */
public record BalanceConfig(String algorithm, String arg, boolean allBackups) {

    public static final BalanceConfig DEFAULT = new BalanceConfig("roundrobin", null);

    public BalanceConfig(String algorithm, String arg) {
        this(algorithm, arg, false);
    }

    public BalanceConfig withAllBackups(boolean on) {
        return new BalanceConfig(algorithm, arg, on);
    }

    /** Whether a {@code balance} line is needed to render it. */
    public boolean isDefaultAlgorithm() {
        return algorithm.equals(DEFAULT.algorithm) && arg == null;
    }

    public String text() {
        return arg == null ? algorithm : algorithm + '(' + arg + ')';
    }
}
