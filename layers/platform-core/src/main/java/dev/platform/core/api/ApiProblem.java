package dev.platform.core.api;

/**
 * A request the API refuses: the status, a stable code, a message for people and, for a bad input, the
 * field it names. Answered as {@code {"error":{"code","message","field"?}}}.
 */
public final class ApiProblem extends RuntimeException {
    private final int status;
    private final String code;
    private final String field;

    public ApiProblem(int status, String code, String message, String field) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
        this.field = field;
    }

    public ApiProblem(int status, String code, String message) {
        this(status, code, message, null);
    }

    public static ApiProblem invalid(String field, String message) {
        return new ApiProblem(400, "invalid_request", field + " " + message, field);
    }

    /** One answer for a missing, unknown, revoked or expired token: nothing tells them apart. */
    public static ApiProblem unauthorized() {
        return new ApiProblem(401, "unauthorized", "a valid API token is required: Authorization: Bearer <token>");
    }

    public static ApiProblem notFound(String what) {
        return new ApiProblem(404, "not_found", what + " not found");
    }

    public static ApiProblem forbidden(Permission permission) {
        return new ApiProblem(403, "forbidden", "your role in this team does not allow " + permission.name().toLowerCase()
                .replace('_', ' '));
    }

    public static ApiProblem conflict(String code, String message) {
        return new ApiProblem(409, code, message);
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    /** The request field the problem is about, or null. */
    public String field() {
        return field;
    }
}
