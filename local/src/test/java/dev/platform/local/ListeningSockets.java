package dev.platform.local;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The TCP sockets this process listens on, read from Linux's /proc (as {@code ss -ltnp} does): every
 * server socket the JVM opened, whoever opened it, including those of embedded libraries.
 */
final class ListeningSockets {
    record Listener(InetAddress address, int port) {
        boolean loopback() {
            return address.isLoopbackAddress()
                    // an IPv4-mapped IPv6 loopback address, ::ffff:127.x.x.x
                    || (address.getAddress().length == 16 && isMappedLoopback(address.getAddress()));
        }

        private static boolean isMappedLoopback(byte[] a) {
            for (int i = 0; i < 10; i++) {
                if (a[i] != 0) {
                    return false;
                }
            }
            return a[10] == (byte) 0xff && a[11] == (byte) 0xff && a[12] == 127;
        }
    }

    private static final String LISTEN = "0A";

    private ListeningSockets() {
    }

    static List<Listener> ofThisProcess() throws IOException {
        Set<String> inodes = new HashSet<>();
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(Path.of("/proc/self/fd"))) {
            for (Path fd : fds) {
                try {
                    String target = Files.readSymbolicLink(fd).toString();
                    if (target.startsWith("socket:[")) {
                        inodes.add(target.substring("socket:[".length(), target.length() - 1));
                    }
                } catch (IOException closedMeanwhile) {
                    // the descriptor went away while listing
                }
            }
        }
        List<Listener> listeners = new ArrayList<>();
        for (String table : List.of("/proc/self/net/tcp", "/proc/self/net/tcp6")) {
            Path path = Path.of(table);
            if (!Files.exists(path)) {
                continue;
            }
            for (String line : Files.readAllLines(path).subList(1, Files.readAllLines(path).size())) {
                String[] columns = line.trim().split("\\s+");
                if (columns[3].equals(LISTEN) && inodes.contains(columns[9])) {
                    String[] local = columns[1].split(":");
                    listeners.add(new Listener(address(local[0]), Integer.parseInt(local[1], 16)));
                }
            }
        }
        return listeners;
    }

    /** /proc prints each 32-bit word of the address in host (little-endian) byte order. */
    private static InetAddress address(String hex) throws UnknownHostException {
        byte[] bytes = new byte[hex.length() / 2];
        for (int word = 0; word < bytes.length / 4; word++) {
            for (int i = 0; i < 4; i++) {
                int at = word * 8 + (3 - i) * 2;
                bytes[word * 4 + i] = (byte) Integer.parseInt(hex.substring(at, at + 2), 16);
            }
        }
        return InetAddress.getByAddress(bytes);
    }
}
