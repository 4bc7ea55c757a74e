import { describe, expect, it } from "vitest";
import { pushEndpointProblem } from "./push-endpoint";

const HOSTS = ["fcm.googleapis.com", "push.services.mozilla.com", "127.0.0.1"];

describe("pushEndpointProblem", () => {
  it("admits https endpoints on the push services and their subdomains", () => {
    expect(pushEndpointProblem("https://fcm.googleapis.com/fcm/send/abc", HOSTS)).toBeNull();
    expect(
      pushEndpointProblem("https://updates.push.services.mozilla.com/wpush/v2/x", HOSTS),
    ).toBeNull();
  });

  it("refuses other hosts, look-alikes, plain http, credentials and non-URLs", () => {
    const problem = (url: string) => pushEndpointProblem(url, HOSTS);
    expect(problem("https://evil.example.com/push")).toMatch(/push service/);
    expect(problem("https://fcm.googleapis.com.evil.example/x")).toMatch(/push service/);
    expect(problem("https://notfcm.googleapis.com.example/x")).toMatch(/push service/);
    expect(problem("http://fcm.googleapis.com/fcm/send/abc")).toMatch(/https/);
    expect(problem("https://user:pw@fcm.googleapis.com/x")).toMatch(/credentials/);
    expect(problem("not a url")).toMatch(/not a URL/);
    expect(problem("http://169.254.169.254/latest")).toMatch(/push service/);
  });

  it("admits plain http only to a loopback address on the list", () => {
    expect(pushEndpointProblem("http://127.0.0.1:4010/push/1", HOSTS)).toBeNull();
    expect(pushEndpointProblem("http://127.0.0.2:4010/push/1", HOSTS)).toMatch(/push service/);
    expect(pushEndpointProblem("http://127.0.0.1:4010/push/1", ["fcm.googleapis.com"])).toMatch(
      /push service/,
    );
  });
});
