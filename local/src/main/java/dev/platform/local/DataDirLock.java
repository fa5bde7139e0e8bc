package dev.platform.local;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * One runtime per data dir: an exclusive lock on {@code <data dir>/platform.lock}, holding the owner's
 * pid so a second start can say who has it. The operating system releases the lock when the process
 * dies, even by {@code kill -9}, so a stale lock file never blocks a restart.
 */
final class DataDirLock implements AutoCloseable {
    static final String FILE_NAME = "platform.lock";

    private final FileChannel channel;
    private final FileLock lock;

    private DataDirLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Creates the data dir if needed and locks it.
     *
     * @throws StartupConflict when another runtime holds it
     */
    static DataDirLock acquire(Path dataDir, String displayName) throws IOException {
        Files.createDirectories(dataDir);
        Path file = dataDir.resolve(FILE_NAME);
        FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException heldInThisJvm) {
            lock = null;
        }
        if (lock == null) {
            channel.close();
            String owner = Files.readString(file, StandardCharsets.UTF_8).trim();
            throw new StartupConflict("data dir " + displayName + " is used by pid " + (owner.isEmpty() ? "unknown" : owner));
        }
        channel.truncate(0);
        channel.write(ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.UTF_8)), 0);
        return new DataDirLock(channel, lock);
    }

    @Override
    public void close() throws IOException {
        lock.release();
        channel.close();
    }
}
