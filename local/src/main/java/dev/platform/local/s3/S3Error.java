package dev.platform.local.s3;

/**
 * An error S3 answers, with its status and code as S3 sends them (the SDK maps the code to its
 * exception: {@code NoSuchKey} to {@code NoSuchKeyException}, and so on).
 */
final class S3Error extends RuntimeException {
    private final int status;
    private final String code;
    private final String resource;
    private final String resourceValue;

    /** @param resource the element naming what was not found ({@code Key}, {@code BucketName}, {@code UploadId}), or null */
    S3Error(int status, String code, String message, String resource, String resourceValue) {
        super(message);
        this.status = status;
        this.code = code;
        this.resource = resource;
        this.resourceValue = resourceValue;
    }

    S3Error(int status, String code, String message) {
        this(status, code, message, null, null);
    }

    int status() {
        return status;
    }

    String code() {
        return code;
    }

    String resource() {
        return resource;
    }

    String resourceValue() {
        return resourceValue;
    }

    static S3Error noSuchBucket(String bucket) {
        return new S3Error(404, "NoSuchBucket", "The specified bucket does not exist", "BucketName", bucket);
    }

    static S3Error noSuchKey(String key) {
        return new S3Error(404, "NoSuchKey", "The specified key does not exist.", "Key", key);
    }

    static S3Error noSuchUpload(String uploadId) {
        return new S3Error(404, "NoSuchUpload", "The specified upload does not exist. The upload ID may be invalid, "
                + "or the upload may have been aborted or completed.", "UploadId", uploadId);
    }

    static S3Error invalidArgument(String message) {
        return new S3Error(400, "InvalidArgument", message);
    }

    static S3Error invalidRequest(String message) {
        return new S3Error(400, "InvalidRequest", message);
    }

    static S3Error notImplemented(String what) {
        return new S3Error(501, "NotImplemented", "The local S3 stand-in does not implement " + what);
    }
}
