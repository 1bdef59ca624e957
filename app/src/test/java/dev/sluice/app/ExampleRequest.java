package dev.sluice.app;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One line of a {@code conf/examples/NAME.requests} file:
 * {@code [N*] METHOD TARGET [port=BIND_PORT] [src=CLIENT_IP] [| Name: value]...}.
 *
 * @param repeat   how many times the request is sent (the answering servers are compared as a multiset)
 * @param bindPort the bind port as written in the example file, or {@code 0} for its first bind
 * @param source   the local address to connect from, or {@code null} for the default
 * @param headers  header lines in the order they are sent
 */
record ExampleRequest(int lineNumber, String line, int repeat, String method, String target,
                      int bindPort, InetAddress source, List<Map.Entry<String, String>> headers) {

    ExampleRequest {
        headers = List.copyOf(headers);
    }

    static List<ExampleRequest> readAll(Path file) throws IOException {
        List<ExampleRequest> requests = new ArrayList<>();
        List<String> lines = Files.readAllLines(file);
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            requests.add(parse(file.getFileName() + ":" + (i + 1), i + 1, line));
        }
        return requests;
    }

    static ExampleRequest parse(String where, int lineNumber, String line) {
        String[] parts = line.split("\\|");
        String[] words = parts[0].trim().split("\\s+");
        int next = 0;
        int repeat = 1;
        if (words[0].endsWith("*")) {
            repeat = Integer.parseInt(words[0].substring(0, words[0].length() - 1));
            next++;
        }
        if (words.length < next + 2) {
            throw new IllegalArgumentException(where + ": " + line + " (expected: [N*] METHOD TARGET ...)");
        }
        String method = words[next++];
        String target = words[next++];
        int bindPort = 0;
        InetAddress source = null;
        for (; next < words.length; next++) {
            String word = words[next];
            if (word.startsWith("port=")) {
                bindPort = Integer.parseInt(word.substring(5));
            } else if (word.startsWith("src=")) {
                source = address(where, word.substring(4));
            } else {
                throw new IllegalArgumentException(where + ": unknown option " + word + " (expected: port=N or src=IP)");
            }
        }
        List<Map.Entry<String, String>> headers = new ArrayList<>();
        for (int i = 1; i < parts.length; i++) {
            String header = parts[i].trim();
            int colon = header.indexOf(':');
            if (colon <= 0) {
                throw new IllegalArgumentException(where + ": header " + header + " (expected: Name: value)");
            }
            headers.add(Map.entry(header.substring(0, colon).trim(), header.substring(colon + 1).trim()));
        }
        return new ExampleRequest(lineNumber, line, repeat, method, target, bindPort, source, headers);
    }

    private static InetAddress address(String where, String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(where + ": src=" + literal + " (expected: an IP address)", e);
        }
    }

    boolean hasHeader(String name) {
        return headers.stream().anyMatch(h -> h.getKey().equalsIgnoreCase(name));
    }
}
