package dev.sluice.routing.acl;

import dev.sluice.routing.TestRequest;
import dev.sluice.routing.config.ConditionConfig;
import dev.sluice.routing.config.ConfigParser;
import dev.sluice.routing.config.ParseResult;
import dev.sluice.routing.config.ProxyConfig;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * A manual differential check of ACL semantics against a local HAProxy: every ACL below is
 * declared in a HAProxy frontend that answers with the indexes of the ACLs that hold; the same
 * requests are evaluated by Sluice, and differences are printed. Not a unit test (it needs the
 * haproxy binary). Run it after {@code mvn -pl routing test-compile} with
 * {@code java -cp routing/target/test-classes:routing/target/classes:DEPENDENCIES
 * dev.sluice.routing.acl.HaproxyAclDifferential}. Last run: HAProxy 2.6.12, 22 requests x 96 ACLs,
 * no difference.
 */
public final class HaproxyAclDifferential {
    static String[] ACLS = {
        "path /api", "path -i /api", "path_beg /api", "path_end .jpg", "path_sub admin", "path_reg ^/v[0-9]+/",
        "path_dir api", "path_dir /api/", "path_dom api", "path_len 4", "url_sub debug=1", "url_beg /x?", "url /x?y",
        "base_beg a.com/", "base a.com/api", "base_sub :8080/",
        "hdr(host) -i example.com", "hdr(host) example.com:8080", "hdr(host) example.com",
        "hdr_dom(host) -i example.com", "hdr_dom(host) www", "hdr_beg(host) -i api.", "hdr_end(host) .com",
        "hdr_sub(user-agent) curl", "hdr_reg(host) ^[a-z]+\\.org$", "hdr_len(x-k) 3", "hdr_len(x-k) 4:",
        "hdr(x-tag) b", "hdr(x-tag) c", "hdr(x-tag) a,", "hdr(x-tag) -m sub \"a, b\"", "hdr_cnt(x-tag) 3", "hdr_cnt(x-tag) gt 3",
        "hdr_cnt(x-none) eq 0", "hdr(x-debug) -m found", "hdr(x-tag) -m found", "method POST", "method -i post",
        "path -m beg /api", "path -m end /x", "path -m len 6", "path_beg -m str /api", "hdr(host),lower example.com",
        "path,upper /API", "hdr(x-n) -- -1", "req.hdr(host) -i example.com", "dst_port 80", "dst_port 8000:9000",
        "path_dir v1/api", "hdr_dom(host) example.com:8080", "hdr_dom(host) -i .example.com.", "hdr(host) -m dom com",
        "path -m dir /", "path_beg \"\"", "hdr(x-tag) -m len 1", "hdr(x-e) -m str \"\"", "hdr(x-tag) -i B",
        "path_reg -i ^/API$", "url_dir api", "hdr_beg(x-tag) \" b\"", "hdr(x-sp) -m str \"a b\"", "src 127.0.0.1", "src ::ffff:127.0.0.1", "src ::ffff:127.0.0.0/104", "src 127.0.0.0/8", "src ::1", "src 0.0.0.0/0", "src ::/0", "src ::ffff:0:0/96", "method GET HEAD", "method -i get", "method PURGE", "method -i purge", "method -m beg PO", "method -m sub -i os",
        "url_reg [?&]id=[0-9]+", "url_end =1", "url_len 9", "base_end .com/x", "base_dom a.com", "base_reg ^a\\.com",
        "hdr_end(host) :8080", "hdr_dir(host) com", "req.hdr_cnt(x-tag) 2", "hdr_sub(x-tag) -i B",
        "path_dir x", "path_end /", "path -m found", "url -m found", "hdr(host) -m len 5",
        "dst_port eq 80", "dst_port le 80", "dst_port lt 80",
        "hdr_beg(host) -m str a.com", "path_beg,lower /api", "path,lower -m beg /api",
    };
    static String[][] REQS = {
        {"GET", "/api", "Host: example.com"},
        {"GET", "/API", "Host: EXAMPLE.com"},
        {"GET", "/api?x=1", "Host: example.com:8080"},
        {"GET", "/api/x", "Host: www.Example.com"},
        {"GET", "/apix", "Host: myexample.com"},
        {"GET", "/img/x.jpg", "Host: example.community"},
        {"GET", "/x/admin/y", "Host: api.example.com", "User-Agent: xcurl/8"},
        {"GET", "/v12/users", "Host: abc.org"},
        {"GET", "/v1/api/z", "Host: a.com", "X-K: abc"},
        {"GET", "/x?debug=1", "Host: a.com:8080", "X-K: abcd"},
        {"GET", "/x?y", "Host: a.com", "X-Tag: a, b", "x-tag: c"},
        {"POST", "/api/x", "Host: www.a.org", "X-Debug: "},
        {"GET", "/p/api/x", "Host: example.com", "X-N: -1", "X-E: ", "X-Sp: a b", "X-Tag: b"},
        {"GET", "/", "Host: a.com", "X-Tag: a,b , c"},
        {"GET", "/api/", "Host: API.example.com.", "X-Tag:  b "},
        {"PURGE", "/x", "Host: a"},
        {"GET", "/x?id=12&z=1", "Host: a.com", "X-Tag: A,b", "X-Tag: c"},
        {"GET", "/x/", "Host: a.com:8080"},
        {"GET", "/API/v1?a=b", "Host: www.a.com"},
        {"GET", "/y/x?q", "Host: com.example"},
        {"DELETE", "/x/y/z", "Host: a.com", "X-Tag: ,"},
        {"purge", "/x", "Host: a"},

    };

    public static void main(String[] args) throws Exception {
        int port; try (ServerSocket ss = new ServerSocket(0)) { port = ss.getLocalPort(); }
        StringBuilder cfg = new StringBuilder("global\n maxconn 100\ndefaults\n mode http\n timeout client 5s\n timeout server 5s\n timeout connect 5s\nfrontend f\n bind 127.0.0.1:" + port + "\n");
        for (int i = 0; i < ACLS.length; i++) cfg.append(" acl a").append(i).append(' ').append(ACLS[i]).append('\n');
        cfg.append(" http-request set-var(txn.m) str(\"\")\n");
        for (int i = 0; i < ACLS.length; i++) cfg.append(" http-request set-var-fmt(txn.m) \"%[var(txn.m)]").append(i).append(",\" if a").append(i).append('\n');
        cfg.append(" http-request return status 200 content-type text/plain lf-string \"%[var(txn.m)]\"\n");
        Path file = Files.createTempFile("sluice-diff", ".cfg");
        Files.writeString(file, cfg);
        Process p = new ProcessBuilder("haproxy", "-db", "-f", file.toString()).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        Thread.sleep(1000);
        try {
            StringBuilder sc = new StringBuilder("frontend f\n");
            for (int i = 0; i < ACLS.length; i++) sc.append(" acl a").append(i).append(' ').append(ACLS[i]).append('\n');
            ParseResult pr = ConfigParser.parse(sc.toString(), "s.cfg", null);
            pr.errors().forEach(System.out::println);
            ProxyConfig pc = pr.config();
            ConditionCompiler cc = new ConditionCompiler(pc.frontend("f").acls(), n -> null);
            int diffs = 0;
            for (String[] r : REQS) {
                TestRequest req = TestRequest.get(r[1]).method(r[0]).localPort(port).client("127.0.0.1");
                StringBuilder raw = new StringBuilder(r[0] + " " + r[1] + " HTTP/1.1\r\n");
                for (int k = 2; k < r.length; k++) {
                    raw.append(r[k]).append("\r\n");
                    int c = r[k].indexOf(':');
                    req.header(r[k].substring(0, c), r[k].substring(c + 1).trim());
                }
                raw.append("Connection: close\r\n\r\n");
                String haproxy;
                try (Socket s = new Socket("127.0.0.1", port)) {
                    s.getOutputStream().write(raw.toString().getBytes(StandardCharsets.ISO_8859_1));
                    String resp = new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
                    haproxy = resp.substring(resp.indexOf("\r\n\r\n") + 4);
                }
                StringBuilder sl = new StringBuilder();
                for (int i = 0; i < ACLS.length; i++) {
                    ConditionConfig c = new ConditionConfig(false, List.of(List.of(new ConditionConfig.Term(false, "a" + i, null))));
                    if (cc.compile(c).test(req)) sl.append(i).append(',');
                }
                Set<String> h = new TreeSet<>(Arrays.asList(haproxy.split(",")));
                Set<String> sset = new TreeSet<>(Arrays.asList(sl.toString().split(",")));
                h.remove(""); sset.remove("");
                if (!h.equals(sset)) {
                    diffs++;
                    Set<String> onlyH = new TreeSet<>(h); onlyH.removeAll(sset);
                    Set<String> onlyS = new TreeSet<>(sset); onlyS.removeAll(h);
                    System.out.println("DIFF " + Arrays.toString(r));
                    for (String x : onlyH) System.out.println("   haproxy only: " + ACLS[Integer.parseInt(x)]);
                    for (String x : onlyS) System.out.println("   sluice only:  " + ACLS[Integer.parseInt(x)]);
                }
            }
            System.out.println("requests=" + REQS.length + " acls=" + ACLS.length + " differing requests=" + diffs);
        } finally {
            p.destroy();
            Files.deleteIfExists(file);
        }
    }
}
