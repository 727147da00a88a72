import EGovCore
import EGovPlatform
import Fluent
import Foundation

/// The criteria a citizen rates a finished dossier on, after the satisfaction and service parts of
/// the national citizen-service index (QĐ 766/QĐ-TTg, 2022). [M]: the index's per-dossier questions
/// are not published as a fixed list; these follow its components and can be reworded here.
enum RatingCriterion: String, CaseIterable, Codable, Sendable {
    case transparency, guidance, timeliness, online, overall

    var label: LocalizedText {
        switch self {
        case .transparency: LocalizedText(vi: "Công khai, minh bạch thông tin thủ tục", en: "Openness of the procedure's information")
        case .guidance: LocalizedText(vi: "Thái độ, hướng dẫn của cán bộ", en: "Officers' manner and guidance")
        case .timeliness: LocalizedText(vi: "Tiến độ giải quyết so với ngày hẹn", en: "Timeliness against the appointment")
        case .online: LocalizedText(vi: "Thuận tiện khi thực hiện trực tuyến", en: "Ease of doing it online")
        case .overall: LocalizedText(vi: "Mức độ hài lòng chung", en: "Overall satisfaction")
        }
    }
}

/// `ps_ratings`: one rating per finished dossier, by its applicant.
final class RatingModel: Model, @unchecked Sendable {
    static let schema = "ps_ratings"

    @ID(key: .id) var id: UUID?
    @Field(key: "dossier_id") var dossierID: UUID
    @Field(key: "dossier_code") var dossierCode: String
    @Field(key: "competent_unit_path") var competentUnitPath: String
    @Field(key: "receiving_unit_path") var receivingUnitPath: String
    /// Criterion → score 1…5, as JSON.
    @Field(key: "scores") var scores: String
    @Field(key: "average") var average: Double
    @OptionalField(key: "comment") var comment: String?
    @Field(key: "created_at") var createdAt: Date

    init() {}

    var scoreMap: [String: Int] { (try? JSONDecoder().decode([String: Int].self, from: Data(scores.utf8))) ?? [:] }
}

struct CreateRatings: AsyncMigration {
    var name: String { "public-services.004.create-ratings" }

    func prepare(on database: any Database) async throws {
        try await database.schema(RatingModel.schema)
            .id()
            .field("dossier_id", .uuid, .required, .references(DossierModel.schema, "id", onDelete: .cascade))
            .field("dossier_code", .string, .required)
            .field("competent_unit_path", .string, .required)
            .field("receiving_unit_path", .string, .required)
            .field("scores", .string, .required)
            .field("average", .double, .required)
            .field("comment", .string)
            .field("created_at", .datetime, .required)
            .unique(on: "dossier_id")
            .create()
        try await database.index(on: RatingModel.schema, "competent_unit_path", "created_at")
    }

    func revert(on database: any Database) async throws {
        try await database.schema(RatingModel.schema).delete()
    }
}

/// Rating a finished dossier, once, and rolling ratings up per unit.
struct RatingService: Sendable {
    let services: PlatformServices
    let db: any Database

    func rate(_ dossier: DossierModel, scores: [String: Int], comment: String?, by principal: Principal,
              clientAddress: String?) async throws -> RatingModel {
        guard DossierAccess.isApplicant(principal, of: dossier) else {
            throw EGovError.forbiddenBecause(LocalizedText(vi: "Chỉ người nộp hồ sơ được đánh giá.", en: "Only the applicant rates a dossier."))
        }
        guard [DossierStatus.done.rawValue, DossierStatus.refused.rawValue].contains(dossier.status) else {
            throw EGovError.conflict(ValidationError(field: "rating", vi: "Chỉ đánh giá được khi hồ sơ đã giải quyết xong.",
                                                     en: "A dossier can be rated once it is finished."))
        }
        var errors: [ValidationError] = []
        var clean: [String: Int] = [:]
        for criterion in RatingCriterion.allCases {
            guard let score = scores[criterion.rawValue], (1...5).contains(score) else {
                errors.append(ValidationError(field: "scores.\(criterion.rawValue)",
                                              vi: "Vui lòng chấm “\(criterion.label.vi)” từ 1 đến 5.",
                                              en: "Please score “\(criterion.label.en)” from 1 to 5."))
                continue
            }
            clean[criterion.rawValue] = score
        }
        guard errors.isEmpty else { throw EGovError.validation(errors) }
        if try await RatingModel.query(on: db).filter(\.$dossierID == dossier.requireID()).first() != nil {
            throw EGovError.conflict(ValidationError(field: "rating", vi: "Hồ sơ này đã được đánh giá.", en: "This dossier has been rated already."))
        }
        let now = services.clock.now()
        let rating = RatingModel()
        rating.id = UUID()
        rating.dossierID = try dossier.requireID()
        rating.dossierCode = dossier.code
        rating.competentUnitPath = dossier.competentUnitPath
        rating.receivingUnitPath = dossier.receivingUnitPath
        rating.scores = try CanonicalJSON.string(clean)
        rating.average = Double(clean.values.reduce(0, +)) / Double(clean.count)
        rating.comment = comment.flatMap { $0.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty ? nil : String($0.prefix(2000)) }
        rating.createdAt = now
        try await db.transaction { tx in
            try await rating.create(on: tx)
            try await AuditLog.record(AuditEntry(actorID: principal.id, actorName: principal.username, action: "dossier.rate",
                                                 target: "dossier:\(dossier.code)", clientAddress: clientAddress,
                                                 summary: String(format: "%.1f", rating.average)), at: now, on: tx)
        }
        return rating
    }

    struct RollUp: Sendable {
        var count = 0
        var sums: [String: Int] = [:]

        mutating func add(_ rating: RatingModel) {
            count += 1
            for (criterion, score) in rating.scoreMap { sums[criterion, default: 0] += score }
        }

        func average(_ criterion: RatingCriterion) -> Double? {
            count == 0 ? nil : Double(sums[criterion.rawValue] ?? 0) / Double(count)
        }

        var overall: Double? {
            count == 0 ? nil : Double(sums.values.reduce(0, +)) / Double(count * RatingCriterion.allCases.count)
        }
    }

    /// Ratings of dossiers decided inside each subtree, in a period.
    func rollUp(paths: [String], from: Date, to: Date) async throws -> [String: RollUp] {
        guard !paths.isEmpty else { return [:] }
        let ratings = try await RatingModel.query(on: db).filter(\.$createdAt >= from).filter(\.$createdAt < to)
            .group(.or) { any in for path in paths { any.filter(\.$competentUnitPath =~ path) } }
            .all()
        var result: [String: RollUp] = [:]
        for rating in ratings {
            for path in paths where rating.competentUnitPath.hasPrefix(path) { result[path, default: RollUp()].add(rating) }
        }
        return result
    }
}
