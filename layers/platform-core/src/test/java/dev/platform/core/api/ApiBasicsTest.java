package dev.platform.core.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The permission table, secrets, cursors and strict bodies the REST API stands on. */
class ApiBasicsTest {

    @Test
    void eachRoleHasAtLeastTheRightsOfTheRolesBelowIt() {
        for (Permission permission : Permission.values()) {
            assertTrue(Permissions.allows(Role.OWNER, permission), "owners may " + permission);
            for (Role lower : Role.values()) {
                for (Role higher : Role.values()) {
                    if (higher.atLeast(lower) && Permissions.allows(lower, permission)) {
                        assertTrue(Permissions.allows(higher, permission), higher + " lacks " + permission + " that " + lower + " has");
                    }
                }
            }
        }
        assertEquals(EnumSet.of(Role.OWNER), Permissions.rolesWith(Permission.DELETE_TEAM));
        assertEquals(EnumSet.of(Role.OWNER), Permissions.rolesWith(Permission.MANAGE_OWNERS));
        assertEquals(EnumSet.of(Role.OWNER, Role.ADMIN), Permissions.rolesWith(Permission.MANAGE_PROJECTS));
        assertEquals(EnumSet.of(Role.OWNER, Role.ADMIN, Role.DEVELOPER), Permissions.rolesWith(Permission.OPERATE_PREVIEWS));
        assertEquals(EnumSet.allOf(Role.class), Permissions.rolesWith(Permission.READ));
    }

    @Test
    void tokensCarry256RandomBitsAndAreStoredOnlyAsTheirHash() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            String token = Secrets.newToken();
            assertTrue(token.matches("plat_[0-9A-Za-z]{43}"), token);
            assertTrue(seen.add(token));
            assertTrue(Secrets.looksLike(Secrets.TOKEN_PREFIX, token));
        }
        String token = Secrets.newToken();
        assertEquals(64, Secrets.hash(token).length());
        assertFalse(Secrets.hash(token).contains(token.substring(5, 15)));
        assertFalse(Secrets.looksLike(Secrets.TOKEN_PREFIX, token + "x"));
        assertFalse(Secrets.looksLike(Secrets.TOKEN_PREFIX, Secrets.newInvitationToken()));
        // 62^43 > 2^256: the base62 text can hold every 256-bit value
        assertTrue(Math.pow(62, 43) > Math.pow(2, 256));
    }

    @Test
    void aCursorIsRefusedWhenChangedOrUsedForAnotherList() {
        Cursors cursors = new Cursors(new byte[32]);
        String cursor = cursors.sign("tokens", "2026-12-01T00:00:00Z#tok_1");
        assertEquals("2026-12-01T00:00:00Z#tok_1", cursors.verify("tokens", cursor));
        assertNull(cursors.sign("tokens", null));
        assertNull(cursors.verify("tokens", null));
        ApiProblem otherList = assertThrows(ApiProblem.class, () -> cursors.verify("members:team_1", cursor));
        assertEquals("cursor", otherList.field());
        char last = cursor.charAt(cursor.length() - 1);
        String changed = cursor.substring(0, cursor.length() - 1) + (last == 'A' ? 'B' : 'A');
        assertThrows(ApiProblem.class, () -> cursors.verify("tokens", changed));
        assertThrows(ApiProblem.class, () -> cursors.verify("tokens", "%%%"));
        assertNotEquals(cursor, new Cursors(new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20,
                21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32}).sign("tokens", "2026-12-01T00:00:00Z#tok_1"));
    }

    private static ApiRequest post(String body, String contentType) {
        return new ApiRequest("POST", "/v1/teams", null, null, Map.of("content-type", contentType),
                body.getBytes(StandardCharsets.UTF_8), Optional.empty(), null, "r-1");
    }

    @Test
    void aBodyIsOneJsonObjectOfKnownFieldsOfTheRightTypes() {
        JsonBody body = JsonBody.of(post("{\"name\":\"web\",\"deploy\":{\"port\":8080}}", "application/json; charset=utf-8"),
                Set.of("name", "deploy"));
        assertEquals("web", body.string("name").orElseThrow());
        assertEquals(8080, body.object("deploy", Set.of("port")).orElseThrow().integer("port", 1, 65535).orElseThrow());

        ApiProblem nestedUnknown = assertThrows(ApiProblem.class, () -> JsonBody.of(post("{\"deploy\":{\"prot\":1}}", "application/json"),
                Set.of("deploy")).object("deploy", Set.of("port")));
        assertEquals("deploy.prot", nestedUnknown.field());
        ApiProblem wrongType = assertThrows(ApiProblem.class, () -> JsonBody.of(post("{\"deploy\":{\"port\":\"80\"}}", "application/json"),
                Set.of("deploy")).object("deploy", Set.of("port")).orElseThrow().integer("port", 1, 65535));
        assertEquals("deploy.port", wrongType.field());
        assertEquals(400, assertThrows(ApiProblem.class, () -> JsonBody.of(post("[1]", "application/json"), Set.of())).status());
        assertEquals(400, assertThrows(ApiProblem.class, () -> JsonBody.of(post("{} []", "application/json"), Set.of())).status());
        assertEquals(415, assertThrows(ApiProblem.class, () -> JsonBody.of(post("{}", "text/plain"), Set.of())).status());
        assertEquals(0, JsonBody.of(post("", "text/plain"), Set.of()).size());
    }

    @Test
    void aSlugIsDerivedFromTheName() {
        assertEquals("web-app", ProjectsApi.slugOf("  Web  App! "));
        assertEquals("project", ProjectsApi.slugOf("日本"));
        assertEquals(40, ProjectsApi.slugOf("x".repeat(60)).length());
    }
}
