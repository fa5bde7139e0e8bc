package dev.platform.local.api;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.platform.core.api.Permission;
import dev.platform.core.api.Permissions;
import dev.platform.core.api.Role;
import dev.platform.local.api.ApiFixture.Person;
import dev.platform.topology.Topology;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every REST route × every role (and a non-member) × the caller's own team and another: the status the permission
 * table says, over HTTP against the local runtime. Each cell gets fresh targets, so a delete in one cell cannot
 * decide another. The whole matrix is printed; any mismatch fails the test.
 */
class PermissionMatrixTest {
    @TempDir
    Path dataDir;

    /** Where a call goes: the team it targets and, for calls that need one, a fresh thing in it. */
    private record Call(String path, String body) {
    }

    /** What a cell's call targets: its team, made by the owner, with fresh members, invitations and projects on demand. */
    private final class Scope {
        final String teamId;
        /** A project with a deployed preview (pull request 2) in the caller's own team; one in the other team. */
        final String previewProject;
        final Person caller;
        final Role role;
        final boolean own;

        Scope(String teamId, Person caller, Role role, boolean own) {
            this.teamId = teamId;
            this.previewProject = own ? "hello-world" : otherProject;
            this.caller = caller;
            this.role = role;
            this.own = own;
        }

        String project() {
            return fixture.newProject(teamId, "p" + (++made));
        }

        String developer() {
            return fixture.member(teamId, "developer").userId();
        }

        String invitation() {
            fixture.invite(fixture.owner, teamId, "invitee" + (++made) + "@example.com", "viewer");
            return fixture.api.call("GET", "/v1/teams/{teamId}/invitations", "/v1/teams/" + teamId + "/invitations?limit=1",
                    fixture.owner, null).body().path("items").get(0).path("invitationId").asText();
        }

        /** A fresh preview variable of the cell's project, set by the owner. */
        String envVar() {
            String name = "DOOMED_" + (++made);
            int status = fixture.api.call("PUT", "/v1/projects/{projectId}/env/{scope}/{name}",
                    "/v1/projects/" + previewProject + "/env/preview/" + name, fixture.owner, ApiFixture.json("value", "v")).status();
            if (status != 201) {
                throw new AssertionError("the owner could not set " + name + ": " + status);
            }
            return name;
        }

        /** A team of its own for a delete: the caller has the cell's role in it when the cell is about their team. */
        String freshTeam() {
            String team = fixture.newTeam("fresh " + (++made));
            if (own && role != null) {
                fixture.join(caller, team, role.wireName());
            }
            return team;
        }
    }

    /** @param permission null: a route of the caller themselves, allowed to every user */
    private record Route(String method, String template, Permission permission, int success, Function<Scope, Call> call) {
    }

    /** A preview variable both projects of the matrix hold. */
    private static final String SHARED_VARIABLE = "SHARED";
    private ApiFixture fixture;
    private int made;
    private String otherProject;
    private String deploymentId;
    private String buildId;

    private static String preview(Scope s, String rest) {
        return "/v1/projects/" + s.previewProject + "/previews" + rest;
    }

    private List<Route> previewRoutes() {
        return List.of(
                new Route("GET", "/v1/projects/{projectId}/previews", Permission.READ, 200, s -> new Call(preview(s, ""), null)),
                new Route("GET", "/v1/projects/{projectId}/previews/{pr}", Permission.READ, 200, s -> new Call(preview(s, "/2"), null)),
                new Route("POST", "/v1/projects/{projectId}/previews/{pr}/sleep", Permission.OPERATE_PREVIEWS, 202,
                        s -> new Call(preview(s, "/2/sleep"), null)),
                new Route("POST", "/v1/projects/{projectId}/previews/{pr}/wake", Permission.OPERATE_PREVIEWS, 202,
                        s -> new Call(preview(s, "/2/wake"), null)),
                new Route("POST", "/v1/projects/{projectId}/previews/{pr}/extend", Permission.OPERATE_PREVIEWS, 202,
                        s -> new Call(preview(s, "/2/extend"), ApiFixture.json("by", "P1D"))),
                new Route("POST", "/v1/projects/{projectId}/previews/{pr}/redeploy", Permission.OPERATE_PREVIEWS, 202,
                        s -> new Call(preview(s, "/2/redeploy"), null)),
                new Route("GET", "/v1/projects/{projectId}/deployments", Permission.READ, 200,
                        s -> new Call("/v1/projects/" + s.previewProject + "/deployments", null)),
                new Route("GET", "/v1/projects/{projectId}/builds/{buildId}", Permission.READ, 200,
                        s -> new Call("/v1/projects/" + s.previewProject + "/builds/" + buildId, null)),
                new Route("POST", "/v1/projects/{projectId}/deployments/{deploymentId}/promote", Permission.OPERATE_PREVIEWS, 202,
                        s -> new Call("/v1/projects/" + s.previewProject + "/deployments/" + deploymentId + "/promote", null)),
                // last: the preview is removed by the first allowed caller (a second removal is requested again)
                new Route("DELETE", "/v1/projects/{projectId}/previews/{pr}", Permission.DELETE_PREVIEWS, 202,
                        s -> new Call(preview(s, "/2"), null)));
    }

    private static String env(Scope s, String rest) {
        return "/v1/projects/" + s.previewProject + "/env" + rest;
    }

    private List<Route> envRoutes() {
        String variable = "/v1/projects/{projectId}/env/{scope}/{name}";
        return List.of(
                new Route("GET", "/v1/projects/{projectId}/env", Permission.READ, 200, s -> new Call(env(s, ""), null)),
                new Route("PUT", variable, Permission.MANAGE_PREVIEW_ENV, 201,
                        s -> new Call(env(s, "/preview/CELL_" + (++made)), ApiFixture.json("value", "v"))),
                new Route("PUT", variable, Permission.MANAGE_PRODUCTION_ENV, 201,
                        s -> new Call(env(s, "/production/CELL_" + (++made)), ApiFixture.json("value", "v"))),
                new Route("DELETE", variable, Permission.MANAGE_PREVIEW_ENV, 204, s -> new Call(env(s, "/preview/" + s.envVar()), null)),
                new Route("GET", variable + "/history", Permission.READ_ENV_VALUES, 200,
                        s -> new Call(env(s, "/preview/" + SHARED_VARIABLE + "/history"), null)),
                new Route("POST", "/v1/projects/{projectId}/env/import", Permission.MANAGE_PREVIEW_ENV, 200,
                        s -> new Call(env(s, "/import"), ApiFixture.json("scope", "preview", "dotenv", "IMPORTED_" + (++made) + "=1"))),
                new Route("GET", "/v1/projects/{projectId}/env/export", Permission.READ_ENV_VALUES, 200,
                        s -> new Call(env(s, "/export?scope=preview"), null)));
    }

    private List<Route> routes() {
        return List.of(
                new Route("GET", "/v1/user", null, 200, s -> new Call("/v1/user", null)),
                new Route("POST", "/v1/tokens", null, 201, s -> new Call("/v1/tokens", ApiFixture.json("name", "ci"))),
                new Route("GET", "/v1/tokens", null, 200, s -> new Call("/v1/tokens", null)),
                new Route("POST", "/v1/teams", null, 201, s -> new Call("/v1/teams", ApiFixture.json("name", "mine"))),
                new Route("GET", "/v1/teams", null, 200, s -> new Call("/v1/teams", null)),
                new Route("GET", "/v1/teams/{teamId}", Permission.READ, 200, s -> new Call("/v1/teams/" + s.teamId, null)),
                new Route("PATCH", "/v1/teams/{teamId}", Permission.UPDATE_TEAM, 200,
                        s -> new Call("/v1/teams/" + s.teamId, ApiFixture.json("name", "renamed"))),
                new Route("DELETE", "/v1/teams/{teamId}", Permission.DELETE_TEAM, 204,
                        s -> new Call("/v1/teams/" + s.freshTeam(), null)),
                new Route("GET", "/v1/teams/{teamId}/members", Permission.READ, 200,
                        s -> new Call("/v1/teams/" + s.teamId + "/members", null)),
                new Route("PATCH", "/v1/teams/{teamId}/members/{userId}", Permission.MANAGE_MEMBERS, 200,
                        s -> new Call("/v1/teams/" + s.teamId + "/members/" + s.developer(), ApiFixture.json("role", "viewer"))),
                new Route("DELETE", "/v1/teams/{teamId}/members/{userId}", Permission.MANAGE_MEMBERS, 204,
                        s -> new Call("/v1/teams/" + s.teamId + "/members/" + s.developer(), null)),
                new Route("POST", "/v1/teams/{teamId}/invitations", Permission.MANAGE_INVITATIONS, 201,
                        s -> new Call("/v1/teams/" + s.teamId + "/invitations",
                                ApiFixture.json("email", "new" + (++made) + "@example.com", "role", "viewer"))),
                new Route("GET", "/v1/teams/{teamId}/invitations", Permission.READ, 200,
                        s -> new Call("/v1/teams/" + s.teamId + "/invitations", null)),
                new Route("DELETE", "/v1/teams/{teamId}/invitations/{invitationId}", Permission.MANAGE_INVITATIONS, 204,
                        s -> new Call("/v1/teams/" + s.teamId + "/invitations/" + s.invitation(), null)),
                new Route("GET", "/v1/teams/{teamId}/audit", Permission.READ, 200,
                        s -> new Call("/v1/teams/" + s.teamId + "/audit", null)),
                new Route("POST", "/v1/teams/{teamId}/projects", Permission.MANAGE_PROJECTS, 201,
                        s -> new Call("/v1/teams/" + s.teamId + "/projects",
                                ApiFixture.json("name", "new " + (++made), "repository", "octo-org/new"))),
                new Route("GET", "/v1/teams/{teamId}/projects", Permission.READ, 200,
                        s -> new Call("/v1/teams/" + s.teamId + "/projects", null)),
                new Route("GET", "/v1/projects/{projectId}", Permission.READ, 200, s -> new Call("/v1/projects/" + s.project(), null)),
                new Route("PATCH", "/v1/projects/{projectId}", Permission.MANAGE_PROJECTS, 200,
                        s -> new Call("/v1/projects/" + s.project(), ApiFixture.json("name", "renamed"))),
                new Route("DELETE", "/v1/projects/{projectId}", Permission.MANAGE_PROJECTS, 204,
                        s -> new Call("/v1/projects/" + s.project(), null)));
    }

    @Test
    void everyRouteAnswersEveryRoleAsThePermissionTableSays() throws Exception {
        try (ApiFixture started = new ApiFixture(dataDir)) {
            fixture = started;
            String ownTeam = fixture.newTeam("own");
            String otherTeam = fixture.newTeam("other");
            Map<String, Person> callers = new LinkedHashMap<>();
            Map<String, Role> roles = new LinkedHashMap<>();
            for (Role role : Role.values()) {
                callers.put(role.wireName(), fixture.member(ownTeam, role.wireName()));
                roles.put(role.wireName(), role);
            }
            // the demo project's team is everyone's too, for its deployed preview
            for (Map.Entry<String, Person> member : callers.entrySet()) {
                fixture.join(member.getValue(), ApiFixture.DEMO_TEAM, member.getKey());
            }
            otherProject = fixture.newProject(otherTeam, "elsewhere");
            for (String project : List.of("hello-world", otherProject)) {
                fixture.api.call("PUT", "/v1/projects/{projectId}/env/{scope}/{name}",
                        "/v1/projects/" + project + "/env/preview/" + SHARED_VARIABLE, fixture.owner, ApiFixture.json("value", "v"));
            }
            fixture.deployedDemoPreview();
            com.fasterxml.jackson.databind.JsonNode deployment = fixture.api.call("GET", "/v1/projects/{projectId}/deployments",
                    "/v1/projects/hello-world/deployments", fixture.owner, null).body().path("items").get(0);
            deploymentId = deployment.path("deploymentId").asText();
            buildId = deployment.path("buildId").asText();
            // a user of the platform in a team of their own, but in neither of these
            String elsewhere = fixture.newTeam("elsewhere");
            callers.put("non-member", fixture.member(elsewhere, "viewer"));
            roles.put("non-member", null);

            List<String> table = new ArrayList<>();
            List<String> mismatches = new ArrayList<>();
            table.add(String.format("%-7s %-56s %-10s %-6s %8s %6s", "method", "route", "caller", "team", "expected", "actual"));
            List<Route> all = new ArrayList<>(routes());
            all.addAll(previewRoutes());
            all.addAll(envRoutes());
            for (Route route : all) {
                for (Map.Entry<String, Person> caller : callers.entrySet()) {
                    Role role = roles.get(caller.getKey());
                    for (boolean own : route.permission() == null ? List.of(true) : List.of(true, false)) {
                        int expected = route.permission() == null ? route.success()
                                : !own || role == null ? 404
                                : Permissions.allows(role, route.permission()) ? route.success() : 403;
                        boolean demo = route.template().startsWith("/v1/projects/{projectId}/") && !route.template().equals("/v1/projects/{projectId}");
                        Call call = route.call().apply(new Scope(own ? demo ? ApiFixture.DEMO_TEAM : ownTeam : otherTeam,
                                caller.getValue(), role, own));
                        int actual = fixture.api.call(route.method(), route.template(), call.path(), caller.getValue().token(),
                                call.body()).status();
                        String line = String.format("%-7s %-56s %-10s %-6s %8d %6d%s", route.method(), route.template(),
                                caller.getKey(), route.permission() == null ? "-" : own ? "own" : "other", expected, actual,
                                expected == actual ? "" : "   MISMATCH");
                        table.add(line);
                        if (expected != actual) {
                            mismatches.add(line);
                        }
                    }
                }
            }
            System.out.println(String.join("\n", table));
            assertTrue(mismatches.isEmpty(), "permission matrix mismatches:\n" + String.join("\n", mismatches));

            // the matrix covers every REST route but the two a role does not decide (revoking one's own token, accepting)
            Set<String> covered = new TreeSet<>();
            all.forEach(r -> covered.add(r.method() + " " + r.template()));
            Set<String> api = new TreeSet<>(Topology.httpRoutes());
            api.removeAll(covered);
            assertTrue(api.equals(Set.of("POST /webhooks/github", "DELETE /v1/tokens/{tokenId}", "POST /v1/invitations/accept")),
                    "routes the matrix does not cover: " + api);
        }
    }
}
