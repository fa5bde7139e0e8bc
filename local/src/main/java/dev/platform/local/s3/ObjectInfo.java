package dev.platform.local.s3;

/**
 * An object the local S3 holds.
 *
 * @param etag as S3 answers it, without quotes: the MD5 in hex, or for a multipart upload the MD5 of
 *             its parts' MD5s, a dash and the number of parts
 */
public record ObjectInfo(String bucket, String key, long size, String etag) {
}
