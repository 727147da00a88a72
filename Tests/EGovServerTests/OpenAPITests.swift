@testable import EGovServer
import Foundation
import Testing
import Vapor
import VaporTesting

@Suite("The OpenAPI document")
struct OpenAPITests {
    @Test("every /api/v1 route is described, and the document is well formed")
    func everyRouteDescribed() async throws {
        try await TestInstallation.with(.sqlite) { egov in
            let response = try await egov.send(.GET, "/openapi.json")
            #expect(response.status == .ok)
            let document = try #require(try JSONSerialization.jsonObject(with: Data(response.body.readableBytesView)) as? [String: Any])
            #expect(document["openapi"] as? String == "3.1.0")
            let info = try #require(document["info"] as? [String: Any])
            #expect(info["title"] as? String != nil && info["version"] as? String != nil)
            let paths = try #require(document["paths"] as? [String: [String: Any]])
            let schemas = try #require((document["components"] as? [String: Any])?["schemas"] as? [String: Any])

            // Every registered API route is in the document.
            let routes = egov.app.routes.all.filter { $0.path.first?.description == "api" }
            #expect(!routes.isEmpty)
            for route in routes {
                let path = "/" + route.path.map { component in
                    if case .parameter(let name) = component { return "{\(name)}" }
                    return component.description
                }.joined(separator: "/")
                let operation = paths[path]?[route.method.rawValue.lowercased()] as? [String: Any]
                #expect(operation != nil, "\(route.method) \(path) is missing from /openapi.json")
                guard let operation else { continue }
                #expect((operation["responses"] as? [String: Any])?.isEmpty == false, "\(path) has no responses")
                // Path parameters are declared.
                for component in route.path {
                    guard case .parameter(let name) = component else { continue }
                    let parameters = operation["parameters"] as? [[String: Any]] ?? []
                    #expect(parameters.contains { $0["name"] as? String == name && $0["in"] as? String == "path" },
                            "\(path) does not declare {\(name)}")
                }
            }
            // Every described path exists, and every $ref resolves.
            let described = Set(routes.map { "/" + $0.path.map { component in
                if case .parameter(let name) = component { return "{\(name)}" }
                return component.description
            }.joined(separator: "/") })
            for path in paths.keys { #expect(described.contains(path), "\(path) is described but not served") }
            let text = response.body.string
            var rest = Substring(text)
            while let range = rest.range(of: "#/components/schemas/") {
                let name = rest[range.upperBound...].prefix { $0 != "\"" }
                #expect(schemas[String(name)] != nil, "dangling $ref \(name)")
                rest = rest[range.upperBound...]
            }
        }
    }
}
