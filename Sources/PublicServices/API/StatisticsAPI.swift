import EGovCore
import EGovPlatform
import EGovWeb
import Fluent
import Vapor

/// `GET /api/v1/stats/dossiers` and ratings: the unit's figures over a period, for its leaders.
struct StatisticsAPI: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get("stats", "dossiers", use: dossiers)
        routes.get("stats", "ratings", use: ratings)
        routes.get("rating-criteria", use: criteria)
        routes.post("dossiers", ":code", "rating", use: rate)
    }

    /// The unit, period and calendar a statistics request asks for, checked.
    struct Query: Sendable {
        let unit: UnitModel
        let from: CivilDate
        let to: CivilDate

        static func read(_ req: Request) async throws -> Query {
            let principal = try req.principal()
            let scopes = CasePolicy.grants(principal, with: OneStopPermission.statsRead)
            guard !scopes.isEmpty else { throw EGovError.forbidden }
            let code = req.query[String.self, at: "unit"].flatMap { $0.isEmpty ? nil : $0 } ?? scopes[0].unitCode
            var unit = try await req.unit(code: code)
            if unit.unitType == .counter, let parent = try await unit.$parent.get(on: req.db) { unit = parent }
            guard CasePolicy.serves(principal, OneStopPermission.statsRead, unitPath: unit.path) else {
                throw EGovError.forbiddenBecause(LocalizedText(vi: "Bạn không được xem thống kê của đơn vị “\(code)”.",
                                                               en: "You may not see the statistics of unit “\(code)”."))
            }
            let calendar = try await req.egov.calendars.calendar(on: req.db, now: req.egov.clock.now())
            let today = calendar.civilDate(of: req.egov.clock.now())
            let from = try date(req, "from") ?? CivilDate(year: today.year, month: today.month, day: 1) ?? today
            let to = try date(req, "to") ?? today
            guard from <= to else {
                throw EGovError.validation([ValidationError(field: "from", vi: "“from” phải trước hoặc bằng “to”.", en: "“from” must not be after “to”.")])
            }
            return Query(unit: unit, from: from, to: to)
        }

        static func date(_ req: Request, _ name: String) throws -> CivilDate? {
            try RequestNumbers.date(req, name)
        }

        func report(_ req: Request) async throws -> DossierStatistics.Report {
            let now = req.egov.clock.now()
            return try await DossierStatistics(db: req.db).report(unit: unit, from: from, to: to, now: now,
                                                                   calendar: try await req.egov.calendars.calendar(on: req.db, now: now))
        }
    }

    struct FiguresDTO: Content {
        let unitCode: String
        let unitName: String
        let received: Int
        let receivedOnline: Int
        let receivedCounter: Int
        let receivedInterLevel: Int
        let finishedOnTime: Int
        let finishedLate: Int
        let inProgressOnTime: Int
        let inProgressLate: Int
        let supplementRequested: Int
        let refused: Int
        let withdrawn: Int
        let onlineRate: Double

        init(_ unit: UnitModel, _ f: DossierStatistics.Figures) {
            unitCode = unit.code
            unitName = unit.name
            received = f.received
            receivedOnline = f.receivedOnline
            receivedCounter = f.receivedCounter
            receivedInterLevel = f.receivedInterLevel
            finishedOnTime = f.finishedOnTime
            finishedLate = f.finishedLate
            inProgressOnTime = f.inProgressOnTime
            inProgressLate = f.inProgressLate
            supplementRequested = f.supplementRequested
            refused = f.refused
            withdrawn = f.withdrawn
            onlineRate = f.onlineRate
        }
    }

    struct ReportDTO: Content {
        let from: String
        let to: String
        let total: FiguresDTO
        let rows: [FiguresDTO]
    }

    func dossiers(_ req: Request) async throws -> ReportDTO {
        let query = try await Query.read(req)
        let report = try await query.report(req)
        return ReportDTO(from: report.from.description, to: report.to.description, total: FiguresDTO(report.unit, report.total),
                         rows: report.rows.map { FiguresDTO($0.unit, $0.figures) })
    }

    struct CriterionDTO: Content {
        let id: String
        let name: String
        let average: Double?
    }

    struct RatingRowDTO: Content {
        let unitCode: String
        let unitName: String
        let count: Int
        let average: Double?
        let criteria: [CriterionDTO]
    }

    struct RatingReportDTO: Content {
        let from: String
        let to: String
        let total: RatingRowDTO
        let rows: [RatingRowDTO]
    }

    func ratings(_ req: Request) async throws -> RatingReportDTO {
        let query = try await Query.read(req)
        let calendar = try await req.egov.calendars.calendar(on: req.db, now: req.egov.clock.now())
        let children = try await UnitModel.query(on: req.db).filter(\.$parent.$id == query.unit.id).sort(\.$sortOrder).all()
        let units = [query.unit] + children
        let rolled = try await RatingService(services: req.egov, db: req.db)
            .rollUp(paths: units.map(\.path), from: calendar.startOfDay(query.from), to: calendar.startOfDay(query.to.adding(days: 1)))
        func row(_ unit: UnitModel) -> RatingRowDTO {
            let rollUp = rolled[unit.path] ?? RatingService.RollUp()
            return RatingRowDTO(unitCode: unit.code, unitName: unit.name, count: rollUp.count, average: rollUp.overall,
                                criteria: RatingCriterion.allCases.map {
                                    CriterionDTO(id: $0.rawValue, name: $0.label.text(req.language), average: rollUp.average($0))
                                })
        }
        return RatingReportDTO(from: query.from.description, to: query.to.description, total: row(query.unit), rows: children.map(row))
    }

    func criteria(_ req: Request) async throws -> PageDTO<CriterionDTO> {
        let items = RatingCriterion.allCases.map { CriterionDTO(id: $0.rawValue, name: $0.label.text(req.language), average: nil) }
        return PageDTO(items: items, total: items.count)
    }

    struct RateInput: Content {
        var scores: [String: Int]?
        var comment: String?
    }

    func rate(_ req: Request) async throws -> Response {
        let principal = try req.principal()
        let dossier = try await DossierActions(services: req.egov, db: req.db).readable(req.parameters.get("code") ?? "", by: principal)
        let input = try req.content.decode(RateInput.self)
        let rating = try await RatingService(services: req.egov, db: req.db)
            .rate(dossier, scores: input.scores ?? [:], comment: input.comment, by: principal, clientAddress: req.clientAddress)
        return try await RatingDTO(code: dossier.code, scores: rating.scoreMap, average: rating.average, comment: rating.comment)
            .encodeResponse(status: .created, for: req)
    }

    struct RatingDTO: Content {
        let code: String
        let scores: [String: Int]
        let average: Double
        let comment: String?
    }

    static var openAPI: OpenAPIContribution {
        let period = [OA.queryParameter("unit", "Mã đơn vị (mặc định: đơn vị của người gọi)"),
                      OA.queryParameter("from", "Từ ngày YYYY-MM-DD (mặc định: đầu tháng)"),
                      OA.queryParameter("to", "Đến ngày YYYY-MM-DD (mặc định: hôm nay)")]
        let figures: [String: JSONValue] = [
            "unitCode": OA.string, "unitName": OA.string, "received": OA.integer, "receivedOnline": OA.integer, "receivedCounter": OA.integer,
            "receivedInterLevel": OA.integer, "finishedOnTime": OA.integer, "finishedLate": OA.integer, "inProgressOnTime": OA.integer,
            "inProgressLate": OA.integer, "supplementRequested": OA.integer, "refused": OA.integer, "withdrawn": OA.integer,
            "onlineRate": ["type": "number", "description": "Tỷ lệ hồ sơ trực tuyến (%)"],
        ]
        return OpenAPIContribution(
            paths: [
                "/api/v1/stats/dossiers": ["get": OA.operation(
                    "Thống kê hồ sơ của đơn vị theo kỳ: tiếp nhận (trực tuyến, tại quầy, liên thông), đã giải quyết đúng hạn/trễ hạn, đang giải quyết trong hạn/quá hạn, yêu cầu bổ sung, từ chối, tỷ lệ trực tuyến; theo từng đơn vị trực thuộc",
                    tag: "statistics", parameters: period, ok: (200, "Số liệu", OA.ref("DossierStatistics")), errors: [400, 403, 404])],
                "/api/v1/stats/ratings": ["get": OA.operation(
                    "Đánh giá mức độ hài lòng theo đơn vị và kỳ", tag: "statistics", parameters: period,
                    ok: (200, "Điểm trung bình", OA.ref("RatingStatistics")), errors: [400, 403, 404])],
                "/api/v1/rating-criteria": ["get": OA.operation(
                    "Các tiêu chí đánh giá mức độ hài lòng (Bộ chỉ số phục vụ người dân, doanh nghiệp)", tag: "statistics", secured: false,
                    ok: (200, "Tiêu chí", OA.page(of: "RatingCriterion")), errors: [])],
                "/api/v1/dossiers/{code}/rating": ["post": OA.operation(
                    "Người nộp đánh giá hồ sơ đã giải quyết xong (mỗi tiêu chí 1–5 điểm, một lần)", tag: "statistics",
                    parameters: [OA.pathParameter("code", "Mã hồ sơ")],
                    body: OA.object(["scores": ["type": "object", "additionalProperties": ["type": "integer", "minimum": 1, "maximum": 5]],
                                     "comment": OA.string], required: ["scores"]),
                    ok: (201, "Đánh giá đã ghi nhận", OA.object(["code": OA.string, "scores": ["type": "object"], "average": ["type": "number"],
                                                                 "comment": OA.nullableString], required: ["code", "scores", "average"])),
                    errors: [400, 403, 404, 409])],
            ],
            schemas: [
                "DossierFigures": OA.object(figures, required: Array(figures.keys).sorted()),
                "DossierStatistics": OA.object(["from": OA.string, "to": OA.string, "total": OA.ref("DossierFigures"),
                                                "rows": ["type": "array", "items": OA.ref("DossierFigures")]],
                                               required: ["from", "to", "total", "rows"]),
                "RatingCriterion": OA.object(["id": OA.string, "name": OA.string, "average": ["type": ["number", "null"]]], required: ["id", "name"]),
                "RatingRow": OA.object(["unitCode": OA.string, "unitName": OA.string, "count": OA.integer, "average": ["type": ["number", "null"]],
                                        "criteria": ["type": "array", "items": OA.ref("RatingCriterion")]],
                                       required: ["unitCode", "count", "criteria"]),
                "RatingStatistics": OA.object(["from": OA.string, "to": OA.string, "total": OA.ref("RatingRow"),
                                               "rows": ["type": "array", "items": OA.ref("RatingRow")]], required: ["total", "rows"]),
            ])
    }
}
