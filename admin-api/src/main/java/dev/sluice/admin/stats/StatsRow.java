package dev.sluice.admin.stats;

/**
 * One line of the stats: a frontend, a backend or a server, its values by HAProxy field name.
 * Fields left unset are written as HAProxy writes them for that row type: 0 or blank.
 */
public final class StatsRow {

    /** HAProxy's {@code type} field: 0 frontend, 1 backend, 2 server. */
    public enum Type {
        FRONTEND(0, 'F'), BACKEND(1, 'B'), SERVER(2, 'S');

        private final int code;
        private final char letter;

        Type(int code, char letter) {
            this.code = code;
            this.letter = letter;
        }

        public int code() {
            return code;
        }

        char letter() {
            return letter;
        }
    }

    /** What HAProxy leaves blank for a proxy in mode tcp. */
    private static final java.util.Set<String> HTTP_ONLY = java.util.Set.of("hrsp_1xx", "hrsp_2xx", "hrsp_3xx",
            "hrsp_4xx", "hrsp_5xx", "hrsp_other", "req_tot", "cache_hits", "cache_lookups", "req_rate",
            "req_rate_max", "intercepted");

    private final Type type;
    private final boolean checked;
    private boolean tcp;
    private final String[] values = new String[StatsFields.count()];

    /** @param checked a server with health checks (their fields are blank otherwise) */
    public StatsRow(Type type, String proxy, String name, boolean checked) {
        this.type = type;
        this.checked = checked;
        set("pxname", proxy);
        set("svname", name);
        set("type", type.code());
        set("pid", 1);
        set("-", "-");
    }

    public Type type() {
        return type;
    }

    public String proxy() {
        return values[0];
    }

    public String name() {
        return values[1];
    }

    /** A proxy in mode tcp: its HTTP fields are blank. */
    public StatsRow tcp() {
        tcp = true;
        for (String f : HTTP_ONLY) {
            values[StatsFields.index(f)] = "";
        }
        return this;
    }

    public boolean isTcp() {
        return tcp;
    }

    public StatsRow set(String field, Object value) {
        int i = StatsFields.index(field);
        if (tcp && HTTP_ONLY.contains(field)) {
            return this;
        }
        values[i] = value == null ? null : String.valueOf(value);
        return this;
    }

    /** The value as written: set, else "0" where HAProxy fills the field, else "". */
    public String get(String field) {
        return get(StatsFields.index(field));
    }

    String get(int index) {
        String v = values[index];
        if (v != null) {
            return v;
        }
        return StatsFields.filled(index, type, checked) ? "0" : "";
    }

    /** A number, 0 when blank. */
    public long number(String field) {
        String v = get(field);
        try {
            return v.isEmpty() ? 0 : Long.parseLong(v);
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
