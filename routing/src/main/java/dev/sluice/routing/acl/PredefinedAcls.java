package dev.sluice.routing.acl;

import dev.sluice.routing.config.AclExpr;
import java.util.List;
import java.util.Map;

/** HAProxy's predefined ACLs that Sluice supports ({@code TRUE}, {@code METH_GET}, ...). */
public final class PredefinedAcls {

    private static final Map<String, AclExpr> ACLS = Map.of(
            "TRUE", expr("always_true"),
            "FALSE", expr("always_false"),
            "LOCALHOST", expr("src", "127.0.0.1/8", "::1"),
            "METH_CONNECT", expr("method", "CONNECT"),
            "METH_DELETE", expr("method", "DELETE"),
            "METH_GET", expr("method", "GET", "HEAD"),
            "METH_HEAD", expr("method", "HEAD"),
            "METH_OPTIONS", expr("method", "OPTIONS"),
            "METH_POST", expr("method", "POST"),
            "METH_PUT", expr("method", "PUT"));

    private PredefinedAcls() {
    }

    /** The predefined ACL {@code name}, or {@code null}. */
    public static AclExpr get(String name) {
        return ACLS.get(name);
    }

    private static AclExpr expr(String fetch, String... patterns) {
        return new AclExpr(fetch, null, List.of(), false, null, List.of(patterns));
    }
}
