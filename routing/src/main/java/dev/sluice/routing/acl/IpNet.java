package dev.sluice.routing.acl;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

/**
 * An address or network ({@code 10.0.0.0/8}, {@code 10.0.0.0/255.0.0.0}, {@code ::1},
 * {@code 2001:db8::/32}). IPv4-mapped IPv6 addresses compare as their IPv4 address. Parsing never
 * touches DNS: only literals are accepted.
 */
public final class IpNet {

    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

    private final byte[] network;
    private final int bits;

    private IpNet(byte[] network, int bits) {
        this.network = network;
        this.bits = bits;
    }

    /** @throws IllegalArgumentException when {@code text} is not an address or network literal */
    public static IpNet parse(String text) {
        String addr = text;
        String mask = null;
        int slash = text.indexOf('/');
        if (slash >= 0) {
            addr = text.substring(0, slash);
            mask = text.substring(slash + 1);
        }
        byte[] raw = literal(addr);
        byte[] bytes = raw == null ? null : normalize(raw);
        if (bytes == null) {
            throw new IllegalArgumentException("invalid address or network '" + text
                    + "' (expected an IPv4 or IPv6 address, optionally with /BITS)");
        }
        int max = raw.length * 8;
        int bits = max;
        if (mask != null) {
            bits = maskBits(mask, raw.length);
            if (bits < 0 || bits > max) {
                throw new IllegalArgumentException("invalid network mask in '" + text
                        + "' (expected 0-" + max + " bits" + (max == 32 ? " or a dotted mask)" : ")"));
            }
        }
        if (raw.length == 16 && bytes.length == 4) {
            if (bits < 96) {
                return new IpNet(applyMask(raw, bits), bits);
            }
            bits -= 96;
        }
        return new IpNet(applyMask(bytes, bits), bits);
    }

    private static int maskBits(String mask, int len) {
        if (mask.chars().allMatch(Character::isDigit) && !mask.isEmpty() && mask.length() < 4) {
            return Integer.parseInt(mask);
        }
        if (len == 4 && IPV4.matcher(mask).matches()) {
            byte[] m = literal(mask);
            if (m == null) {
                return -1;
            }
            int v = ((m[0] & 0xff) << 24) | ((m[1] & 0xff) << 16) | ((m[2] & 0xff) << 8) | (m[3] & 0xff);
            int ones = Integer.bitCount(v);
            return v == (ones == 0 ? 0 : -1 << (32 - ones)) ? ones : -1;
        }
        return -1;
    }

    private static byte[] literal(String addr) {
        if (IPV4.matcher(addr).matches()) {
            String[] parts = addr.split("\\.");
            byte[] b = new byte[4];
            for (int i = 0; i < 4; i++) {
                int v = Integer.parseInt(parts[i]);
                if (v > 255) {
                    return null;
                }
                b[i] = (byte) v;
            }
            return b;
        }
        if (addr.indexOf(':') < 0 || !addr.matches("[0-9a-fA-F:.]+")) {
            return null;
        }
        try {
            // Contains ':' so the JDK parses it as an IPv6 literal and never resolves it.
            byte[] b = InetAddress.getByName(addr).getAddress();
            if (b.length == 4) {
                // the JDK returns IPv4-mapped literals as IPv4: give back the 16-byte form
                byte[] mapped = new byte[16];
                mapped[10] = (byte) 0xff;
                mapped[11] = (byte) 0xff;
                System.arraycopy(b, 0, mapped, 12, 4);
                return mapped;
            }
            return b;
        } catch (UnknownHostException e) {
            return null;
        }
    }

    /** The address bytes, with IPv4-mapped IPv6 addresses reduced to 4 bytes. */
    public static byte[] normalize(byte[] b) {
        if (b.length == 16) {
            for (int i = 0; i < 10; i++) {
                if (b[i] != 0) {
                    return b;
                }
            }
            if (b[10] == (byte) 0xff && b[11] == (byte) 0xff) {
                return new byte[] {b[12], b[13], b[14], b[15]};
            }
        }
        return b;
    }

    private static byte[] applyMask(byte[] b, int bits) {
        byte[] out = b.clone();
        for (int i = 0; i < out.length; i++) {
            int keep = Math.max(0, Math.min(8, bits - i * 8));
            out[i] &= (byte) (0xff << (8 - keep));
        }
        return out;
    }

    public boolean contains(InetAddress address) {
        return address != null && contains(normalize(address.getAddress()));
    }

    boolean contains(byte[] normalized) {
        if (normalized.length == 4 && network.length == 16) {
            // as HAProxy: an IPv4 client also matches IPv6 networks through its mapped form
            byte[] mapped = new byte[16];
            mapped[10] = (byte) 0xff;
            mapped[11] = (byte) 0xff;
            System.arraycopy(normalized, 0, mapped, 12, 4);
            normalized = mapped;
        }
        if (normalized.length != network.length) {
            return false;
        }
        int full = bits / 8;
        for (int i = 0; i < full; i++) {
            if (normalized[i] != network[i]) {
                return false;
            }
        }
        int rest = bits % 8;
        if (rest == 0) {
            return true;
        }
        int m = 0xff << (8 - rest);
        return (normalized[full] & m) == (network[full] & m);
    }
}
