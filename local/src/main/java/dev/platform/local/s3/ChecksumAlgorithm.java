package dev.platform.local.s3;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Locale;
import java.util.zip.CRC32;
import java.util.zip.CRC32C;

/**
 * The additional checksums S3 verifies ({@code x-amz-checksum-<name>}, base64 of the big-endian value).
 * The SDK sends one of them with every PutObject and UploadPart (CRC32 unless told otherwise), as a
 * header or in the trailer of an aws-chunked body.
 */
enum ChecksumAlgorithm {
    CRC32, CRC32C, CRC64NVME, SHA1, SHA256;

    /** Computes the checksum of the bytes given to it. */
    interface Calculator {
        void update(byte[] bytes, int offset, int length);

        byte[] value();
    }

    /** {@code x-amz-checksum-crc32}, and so on */
    String header() {
        return "x-amz-checksum-" + name().toLowerCase(Locale.ROOT);
    }

    /** {@code ChecksumCRC32}, and so on: the element in multipart XML */
    String element() {
        return "Checksum" + name();
    }

    /** @return null when {@code name} (for example {@code CRC32} or {@code crc32}) is no S3 checksum */
    static ChecksumAlgorithm named(String name) {
        for (ChecksumAlgorithm algorithm : values()) {
            if (algorithm.name().equalsIgnoreCase(name)) {
                return algorithm;
            }
        }
        return null;
    }

    Calculator calculator() {
        return switch (this) {
            case CRC32 -> crc(new CRC32());
            case CRC32C -> crc(new CRC32C());
            case CRC64NVME -> new Crc64Nvme();
            case SHA1 -> digest("SHA-1");
            case SHA256 -> digest("SHA-256");
        };
    }

    byte[] of(byte[] bytes) {
        Calculator calculator = calculator();
        calculator.update(bytes, 0, bytes.length);
        return calculator.value();
    }

    private static Calculator crc(java.util.zip.Checksum crc) {
        return new Calculator() {
            @Override
            public void update(byte[] bytes, int offset, int length) {
                crc.update(bytes, offset, length);
            }

            @Override
            public byte[] value() {
                long v = crc.getValue();
                return new byte[] {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v};
            }
        };
    }

    private static Calculator digest(String name) {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance(name);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(name + " is part of every JDK", e);
        }
        return new Calculator() {
            @Override
            public void update(byte[] bytes, int offset, int length) {
                digest.update(bytes, offset, length);
            }

            @Override
            public byte[] value() {
                return digest.digest();
            }
        };
    }

    /** CRC-64/NVME (reflected, polynomial 0xad93d23594c93659 reversed), which the JDK does not have. */
    private static final class Crc64Nvme implements Calculator {
        private static final long[] TABLE = new long[256];

        static {
            for (int i = 0; i < 256; i++) {
                long crc = i;
                for (int bit = 0; bit < 8; bit++) {
                    crc = (crc & 1) != 0 ? (crc >>> 1) ^ 0x9a6c9329ac4bc9b5L : crc >>> 1;
                }
                TABLE[i] = crc;
            }
        }

        private long crc = -1L;

        @Override
        public void update(byte[] bytes, int offset, int length) {
            for (int i = offset; i < offset + length; i++) {
                crc = TABLE[(int) ((crc ^ bytes[i]) & 0xff)] ^ (crc >>> 8);
            }
        }

        @Override
        public byte[] value() {
            long v = ~crc;
            byte[] out = new byte[8];
            for (int i = 0; i < 8; i++) {
                out[i] = (byte) (v >>> (56 - 8 * i));
            }
            return out;
        }
    }
}
