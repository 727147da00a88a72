import EGovCore
import Fluent
import Foundation

/// Short verification codes (mã kiểm tra) on signed results (issue 13 §4): each result a case action signs gets
/// one, written into its signatures' reason with the address of the public check page, and recorded beside the
/// signed file's digest. Whoever holds the code (a printed copy, the citizen) opens `/kiem-tra-chu-ky?ma=CODE`
/// and sees whether the issued file is authentic and who signed it — not the file itself.
public enum VerificationCodes {
    /// Thirty letters and digits that cannot be misread (no 0/O, 1/I/L, U): eight of them, about 39 bits.
    static let alphabet = Array("ABCDEFGHJKMNPQRSTVWXYZ23456789")
    static let length = 8

    /// A new code, `XXXX-XXXX`.
    public static func make() -> String {
        let letters = (0..<length).map { _ in alphabet[Int.random(in: 0..<alphabet.count)] }
        return String(letters.prefix(4)) + "-" + String(letters.suffix(4))
    }

    /// A code as a person may type it (small letters, spaces, with or without the dash) in its stored form, or nil
    /// when it cannot be one.
    public static func normalized(_ input: String) -> String? {
        guard input.count <= 32 else { return nil }
        let letters = input.uppercased().filter { $0 != "-" && !$0.isWhitespace }
        guard letters.count == length, letters.allSatisfy(alphabet.contains) else { return nil }
        return String(letters.prefix(4)) + "-" + String(letters.suffix(4))
    }

    /// Where the code leads: the public check page, absolute when the installation's public address is known.
    public static func link(_ code: String, publicURL: String?) -> String {
        let path = "/kiem-tra-chu-ky?ma=\(code)"
        guard let publicURL, !publicURL.isEmpty else { return path }
        return (publicURL.hasSuffix("/") ? String(publicURL.dropLast()) : publicURL) + path
    }

    /// Records `code` for the signed file `sha256` of the case `target` (in the caller's transaction).
    public static func record(_ code: String, sha256: String, name: String, target: String, at date: Date,
                              on db: any Database) async throws {
        let model = VerificationCodeModel()
        model.id = code
        model.sha256 = sha256
        model.name = name
        model.target = target
        model.createdAt = date
        try await model.create(on: db)
    }

    public static func find(_ code: String, on db: any Database) async throws -> VerificationCodeModel? {
        try await VerificationCodeModel.find(code, on: db)
    }

    /// The codes of the signed files among `sha256s` of the case `target`, by digest.
    public static func codes(of sha256s: [String], target: String, on db: any Database) async throws -> [String: String] {
        guard !sha256s.isEmpty else { return [:] }
        let models = try await VerificationCodeModel.query(on: db).filter(\.$sha256 ~~ sha256s).filter(\.$target == target).all()
        return Dictionary(models.compactMap { model in model.id.map { (model.sha256, $0) } }, uniquingKeysWith: { first, _ in first })
    }
}

/// `core_verification_codes`: a signed result's short code, its digest in the file store, its name and its case.
public final class VerificationCodeModel: Model, @unchecked Sendable {
    public static let schema = "core_verification_codes"

    @ID(custom: "code", generatedBy: .user) public var id: String?
    @Field(key: "sha256") public var sha256: String
    @Field(key: "name") public var name: String
    /// The case the result was issued in, e.g. `dossier:CODE`.
    @Field(key: "target") public var target: String
    @Field(key: "created_at") public var createdAt: Date

    public init() {}
}

struct M013_CreateVerificationCodes: AsyncMigration {
    var name: String { "core.013.create-verification-codes" }

    func prepare(on database: any Database) async throws {
        try await database.schema(VerificationCodeModel.schema)
            .field("code", .string, .identifier(auto: false))
            .field("sha256", .string, .required)
            .field("name", .string, .required)
            .field("target", .string, .required)
            .field("created_at", .datetime, .required)
            .create()
        try await database.index(on: VerificationCodeModel.schema, "sha256")
    }

    func revert(on database: any Database) async throws {
        try await database.schema(VerificationCodeModel.schema).delete()
    }
}
