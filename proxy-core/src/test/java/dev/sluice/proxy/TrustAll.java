package dev.sluice.proxy;

import java.net.Socket;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;

/** For tests whose servers present certificates the tests made: trusts any, checks no host name. */
public final class TrustAll {

    private TrustAll() {
    }

    public static SSLContext context() throws Exception {
        SSLContext ssl = SSLContext.getInstance("TLS");
        ssl.init(null, new TrustManager[] {new X509ExtendedTrustManager() {
            public void checkClientTrusted(X509Certificate[] c, String a) { }
            public void checkServerTrusted(X509Certificate[] c, String a) { }
            public void checkClientTrusted(X509Certificate[] c, String a, Socket s) { }
            public void checkServerTrusted(X509Certificate[] c, String a, Socket s) { }
            public void checkClientTrusted(X509Certificate[] c, String a, SSLEngine e) { }
            public void checkServerTrusted(X509Certificate[] c, String a, SSLEngine e) { }
            public X509Certificate[] getAcceptedIssuers() { return new X509Certificate[0]; }
        }}, null);
        return ssl;
    }
}
