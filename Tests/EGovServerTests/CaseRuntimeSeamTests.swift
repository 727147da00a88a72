import Foundation
import Testing

/// The case runtime lives once, in the platform: a module keeps no row lock, history writer,
/// holder-column writer or queue builder of its own (they would drift from the platform's).
@Suite("One case runtime, in the platform")
struct CaseRuntimeSeamTests {
    static func sources(of target: String) throws -> [(path: String, text: String)] {
        let folder = TestInstallation.repositoryRoot.appendingPathComponent("Sources/\(target)")
        let files = try #require(FileManager.default.enumerator(at: folder, includingPropertiesForKeys: nil))
        return try files.compactMap { $0 as? URL }.filter { $0.pathExtension == "swift" }.map {
            ($0.path.replacingOccurrences(of: folder.path, with: target), try String(contentsOf: $0, encoding: .utf8))
        }
    }

    /// What only the platform's case runtime writes, and how each would look in a module.
    static let platformOnly: [(what: String, pattern: String)] = [
        ("a row lock with a version check", "version = version + 1"),
        ("a history writer", "DossierEventModel()"),
        ("a history writer", "insert(into: DossierEventModel.schema"),
        ("a history writer", "INSERT INTO doc_document_events"),
        ("a history writer", "insert(into: \"doc_document_events\""),
        ("a holder-column writer", "holderPositions ="),
        ("a holder-column writer", "holderUnitPath ="),
        ("a holder-column writer", "assigneeID ="),
        ("a queue builder", "$holderPositions"),
        ("a queue builder", "holder_unit_path ="),
        ("a deadline predicate", "due_at <"),
        ("a deadline predicate", "$dueAt <"),
    ]

    /// The models' property lists (`scripts/model-properties.py`) name every column wrapper, holders included:
    /// they read and write nothing of their own.
    static let generated = "/ModelProperties.swift"

    @Test("a module has no lock, history writer, holder writer, queue builder or deadline SQL of its own",
          arguments: ["PublicServices", "Documents"])
    func moduleHasNone(module: String) throws {
        let sources = try Self.sources(of: module)
        #expect(sources.count > 10)
        for (path, text) in sources where !path.hasSuffix(Self.generated) {
            for (what, pattern) in Self.platformOnly {
                #expect(!text.contains(pattern), "\(path) has \(what) of its own (“\(pattern)”)")
            }
        }
    }

    @Test("the platform has each of them, once")
    func platformHasThem() throws {
        let platform = try Self.sources(of: "EGovPlatform").filter { $0.path.contains("/Cases/") }.map(\.text).joined()
        for pattern in ["version = version + 1", "holderPositions =", "holder_unit_path =", "(due_at <"] {
            #expect(platform.components(separatedBy: pattern).count == 2, "“\(pattern)”")
        }
    }

    @Test("the server knows no module: EGovServer imports none, the egov executable names them")
    func serverKnowsNoModule() throws {
        for (path, text) in try Self.sources(of: "EGovServer") {
            #expect(!text.contains("import PublicServices"), "\(path)")
        }
        let manifest = try String(contentsOf: TestInstallation.repositoryRoot.appendingPathComponent("Package.swift"), encoding: .utf8)
        let server = try #require(manifest.range(of: "name: \"EGovServer\"").map { manifest[$0.upperBound...] })
        let dependencies = server[..<(server.range(of: "]")?.lowerBound ?? server.endIndex)]
        #expect(!dependencies.contains("PublicServices"))
    }
}
