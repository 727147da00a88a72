@preconcurrency import Plot
import EGovCore
import EGovPlatform
import EGovWeb
import Fluent
import Vapor

/// The printable forms of the one-stop rules (Circular 03/2025/TT-VPCP under Decree 118/2025),
/// filled from the dossier: 01–06 per dossier, 07 the unit's dossier log.
enum OneStopForm: String, CaseIterable, Sendable {
    case receipt = "01", supplement = "02", refusal = "03", apology = "04", stop = "05", tracking = "06"

    var title: LocalizedText {
        switch self {
        case .receipt: LocalizedText(vi: "Mẫu 01 – Giấy tiếp nhận hồ sơ và hẹn trả kết quả", en: "Form 01 – Receipt and appointment")
        case .supplement: LocalizedText(vi: "Mẫu 02 – Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ", en: "Form 02 – Supplement request")
        case .refusal: LocalizedText(vi: "Mẫu 03 – Phiếu từ chối tiếp nhận giải quyết hồ sơ", en: "Form 03 – Refusal")
        case .apology: LocalizedText(vi: "Mẫu 04 – Văn bản xin lỗi và đề nghị gia hạn thời gian giải quyết", en: "Form 04 – Apology and new appointment")
        case .stop: LocalizedText(vi: "Mẫu 05 – Thông báo dừng giải quyết hồ sơ", en: "Form 05 – Stop notice")
        case .tracking: LocalizedText(vi: "Mẫu 06 – Phiếu kiểm soát quá trình giải quyết hồ sơ", en: "Form 06 – Process tracking slip")
        }
    }

    var heading: String {
        switch self {
        case .receipt: "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ"
        case .supplement: "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ"
        case .refusal: "PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ"
        case .apology: "VĂN BẢN XIN LỖI VÀ ĐỀ NGHỊ GIA HẠN THỜI GIAN GIẢI QUYẾT"
        case .stop: "THÔNG BÁO DỪNG GIẢI QUYẾT HỒ SƠ"
        case .tracking: "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ"
        }
    }

    /// Whether the form means something for the dossier now.
    func isAvailable(for dossier: DossierModel, now: Date, calendar: WorkingDayCalendar) -> Bool {
        switch self {
        case .receipt: dossier.receivedAt != nil
        case .supplement: dossier.supplementRequests > 0
        case .refusal: dossier.status == DossierStatus.refused.rawValue
        // Late already, or about to be (less than one working day left, the clock's own rule): the
        // apology comes before the date is missed.
        case .apology: [.late, .atRisk, .finishedLate].contains((try? dossier.caseState())?.clock.status(at: now, calendar: calendar))
        case .stop: dossier.status == DossierStatus.withdrawn.rawValue
        case .tracking: true
        }
    }
}

struct FormPages: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get(OneStopRoute.form(code: "", number: "").pattern, use: form)
        routes.get(OneStopRoute.dossierLog(unit: nil, from: nil, to: nil).pattern, use: log)
    }

    struct Filled {
        let dossier: DossierModel
        let procedure: Procedure?
        let receiving: UnitModel?
        let competent: UnitModel?
        let events: [DossierEventModel]
        let idNumber: String?
        let phone: String?
        let files: [DossierFileModel]
    }

    func form(_ req: Request) async throws -> Response {
        let principal = try req.principal()
        let dossier = try await DossierActions(services: req.egov, db: req.db).readable(req.parameters.get("code") ?? "", by: principal)
        guard let form = req.parameters.get("number").flatMap(OneStopForm.init(rawValue:)) else {
            throw EGovError.notFound(LocalizedText(vi: "Không có mẫu phiếu này.", en: "No such form."))
        }
        let id = try dossier.requireID()
        let filled = Filled(
            dossier: dossier, procedure: try await CatalogueStore.procedure(code: dossier.procedureCode, on: req.db),
            receiving: try await UnitModel.query(on: req.db).filter(\.$code == dossier.receivingUnitCode).first(),
            competent: try await UnitModel.query(on: req.db).filter(\.$code == dossier.competentUnitCode).first(),
            events: try await DossierEventModel.query(on: req.db).filter(\.$dossierID == id).sort(\.$seq).all(),
            idNumber: try dossier.applicantIDSealed.map(req.egov.personalData.open),
            phone: try dossier.applicantPhoneSealed.map(req.egov.personalData.open),
            files: try await DossierFileModel.query(on: req.db).filter(\.$dossierID == id).sort(\.$eventSeq).all())
        let ctx = try await PageContext.make(for: req)
        let place = try await SettingsStore.get(LocalitySettings.self, for: .locality, on: req.db)?.name ?? ""
        let today = req.egov.clock.now()
        let body: Node<HTML.BodyContext> = switch form {
        case .receipt: Self.receipt(filled)
        case .supplement: Self.supplement(filled)
        case .refusal: Self.refusal(filled)
        case .apology: Self.apology(filled, newDate: req.query[String.self, at: "hen"])
        case .stop: Self.stop(filled)
        case .tracking: Self.tracking(filled)
        }
        return Layout.page(ctx, title: ctx.t(form.title), content: .div(
            .class("print-form"), .id("form-\(form.rawValue)"),
            Self.header(unit: filled.receiving?.name ?? dossier.receivingUnitCode, place: place, date: today),
            .h2(.class("form-title"), .text(form.heading)),
            .p(.class("center"), .text("Mã hồ sơ: "), .strong(.text(dossier.code))),
            body,
            .p(.class("no-print"), .button(.type(.button), .attribute(named: "data-action", value: "print"), .text(ctx.t(OneStopText.print))),
               .text(" "), .a(.href(Esc.attr(OneStopRoute.dossier(code: dossier.code).path)), .text(ctx.t(OneStopText.dossier))))))
    }

    /// The state motto and the issuing unit, as every administrative form starts.
    static func header(unit: String, place: String, date: Date) -> Node<HTML.BodyContext> {
        let day = WorkingDayCalendar().civilDate(of: date)
        let town = place.replacingOccurrences(of: "Tỉnh ", with: "").replacingOccurrences(of: "Thành phố ", with: "")
        return .div(.class("form-header"),
                    .div(.p(.strong(.text(unit.uppercased())))),
                    .div(.class("center"),
                         .p(.strong(.text("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"))),
                         .p(.strong(.text("Độc lập - Tự do - Hạnh phúc"))),
                         .p(.em(.text("\(town), ngày \(day.day) tháng \(day.month) năm \(day.year)")))))
    }

    static func applicant(_ f: Filled) -> Node<HTML.BodyContext> {
        .ul(.class("plain"),
            .li(.text("Ông/Bà: "), .strong(.text(f.dossier.applicantName))),
            .li(.text("Số định danh cá nhân: \(f.idNumber ?? "…")")),
            .li(.text("Địa chỉ: \(f.dossier.applicantAddress ?? "…")")),
            .li(.text("Số điện thoại: \(f.phone ?? "…")   Thư điện tử: \(f.dossier.applicantEmail ?? "…")")),
            .li(.text("Nội dung yêu cầu giải quyết: \(f.dossier.procedureName)")))
    }

    static func signatures(_ left: String, _ right: String, rightName: String? = nil) -> Node<HTML.BodyContext> {
        .div(.class("signatures"),
             .div(.p(.strong(.text(left))), .p(.em(.text("(Ký và ghi rõ họ tên)")))),
             .div(.p(.strong(.text(right))), .p(.em(.text("(Ký và ghi rõ họ tên)"))), .unwrap(rightName) { .p(.class("signer"), .text($0)) }))
    }

    static func last(_ f: Filled, _ action: ActionID) -> DossierEventModel? { f.events.last { $0.actionID == action.rawValue } }

    static func receipt(_ f: Filled) -> Node<HTML.BodyContext> {
        let submitted = f.files.filter { $0.eventSeq == 1 }
        let components = f.procedure?.components ?? []
        let receiver = last(f, DossierAction.receive)
        return .group(
            .p(.text("\(f.receiving?.name ?? f.dossier.receivingUnitCode) tiếp nhận hồ sơ của:")),
            applicant(f),
            .p(.text("1. Thành phần hồ sơ nộp gồm:")),
            .table(.thead(.tr(.th(.text("TT")), .th(.text("Tên giấy tờ")), .th(.text("Hình thức")), .th(.text("Số lượng")))),
                   .tbody(.forEach(Array(submitted.enumerated())) { index, file in
                       .tr(.td(.text("\(index + 1)")), .td(.text(components.first { $0.id == file.componentID }?.name ?? file.name)),
                           .td(.text("Bản điện tử (\(file.name))")), .td(.text("01")))
                   })),
            .p(.text("2. Số lượng hồ sơ: 01 bộ.")),
            .p(.text("3. Thời gian giải quyết hồ sơ theo quy định: \(f.procedure?.processingDays ?? 0) ngày làm việc.")),
            .p(.text("4. Thời gian nhận hồ sơ: \(OneStopViews.date(f.dossier.receivedAt)).")),
            .p(.text("5. Thời gian trả kết quả giải quyết hồ sơ: \(OneStopViews.date(f.dossier.dueAt)).")),
            .p(.text("6. Hình thức nhận kết quả: " + Self.delivery(f))),
            .p(.text("7. Phí, lệ phí: \(f.dossier.feeAmount == 0 ? "không" : VND.format(f.dossier.feeAmount))\(f.dossier.feePaid && f.dossier.feeAmount > 0 ? " (đã nộp)" : "").")),
            signatures("NGƯỜI NỘP HỒ SƠ", "NGƯỜI TIẾP NHẬN HỒ SƠ", rightName: receiver?.actorName))
    }

    static func delivery(_ f: Filled) -> String {
        switch DossierModel.Delivery(rawValue: f.dossier.resultDelivery) {
        case .post: "qua dịch vụ bưu chính công ích, đến địa chỉ \(f.dossier.applicantAddress ?? "…")."
        case .online: "trực tuyến, bản điện tử trên Cổng dịch vụ công (hoặc tại \(f.receiving?.name ?? f.dossier.receivingUnitCode))."
        case .counter, nil: "trực tiếp tại \(f.receiving?.name ?? f.dossier.receivingUnitCode)."
        }
    }

    static func supplement(_ f: Filled) -> Node<HTML.BodyContext> {
        let request = last(f, DossierAction.requestSupplement)
        return .group(
            .p(.text("\(f.competent?.name ?? f.dossier.competentUnitCode) đề nghị hoàn thiện hồ sơ của:")),
            applicant(f),
            .p(.text("Yêu cầu bổ sung, hoàn thiện hồ sơ gồm những nội dung sau:")),
            .p(.class("filled"), .text(request?.note ?? "…")),
            .p(.text("Thời gian chờ bổ sung, hoàn thiện hồ sơ không tính vào thời hạn giải quyết. Trong quá trình hoàn thiện hồ sơ, nếu có vướng mắc, Ông/Bà liên hệ \(f.receiving?.name ?? "") để được hướng dẫn.")),
            .p(.text("Ngày yêu cầu: \(OneStopViews.date(request?.at)).")),
            signatures("NGƯỜI NỘP HỒ SƠ", "NGƯỜI HƯỚNG DẪN", rightName: request?.actorName))
    }

    static func refusal(_ f: Filled) -> Node<HTML.BodyContext> {
        let refusal = last(f, DossierAction.refuse)
        return .group(
            applicant(f),
            .p(.text("Qua xem xét, \(f.competent?.name ?? f.dossier.competentUnitCode) thông báo không tiếp nhận, giải quyết hồ sơ này với lý do cụ thể như sau:")),
            .p(.class("filled"), .text(refusal?.note ?? "…")),
            .p(.text("Xin thông báo để Ông/Bà được biết và thực hiện.")),
            signatures("NGƯỜI NỘP HỒ SƠ", "NGƯỜI TỪ CHỐI", rightName: refusal?.actorName))
    }

    static func apology(_ f: Filled, newDate: String?) -> Node<HTML.BodyContext> {
        let appointment = newDate.flatMap(CivilDate.init(iso:)).map { "ngày \($0.day) tháng \($0.month) năm \($0.year)" } ?? "ngày … tháng … năm ……"
        return .group(
            .p(.text("Kính gửi: Ông/Bà \(f.dossier.applicantName).")),
            .p(.text("Ngày \(OneStopViews.date(f.dossier.receivedAt, withTime: false)), \(f.receiving?.name ?? "") tiếp nhận hồ sơ “\(f.dossier.procedureName)” của Ông/Bà, hẹn trả kết quả \(OneStopViews.date(f.dossier.dueAt)).")),
            .p(.text("Tuy nhiên đến nay, \(f.competent?.name ?? "") chưa trả kết quả giải quyết hồ sơ cho Ông/Bà đúng hạn. Lý do: …")),
            .p(.text("Sự chậm trễ này đã gây phiền hà cho Ông/Bà. \(f.competent?.name ?? "") thành thật xin lỗi Ông/Bà và hẹn trả kết quả vào \(appointment).")),
            .p(.text("Rất mong nhận được sự thông cảm của Ông/Bà.")),
            signatures("", "THỦ TRƯỞNG CƠ QUAN"))
    }

    static func stop(_ f: Filled) -> Node<HTML.BodyContext> {
        let withdrawal = last(f, DossierAction.withdraw)
        return .group(
            applicant(f),
            .p(.text("Theo đề nghị của Ông/Bà ngày \(OneStopViews.date(withdrawal?.at, withTime: false)), \(f.competent?.name ?? f.dossier.competentUnitCode) dừng giải quyết hồ sơ nêu trên.")),
            .p(.text("Lý do: \(withdrawal?.note ?? "người nộp hồ sơ rút hồ sơ")")),
            signatures("NGƯỜI NỘP HỒ SƠ", "NGƯỜI TIẾP NHẬN"))
    }

    static func tracking(_ f: Filled) -> Node<HTML.BodyContext> {
        .group(
            .p(.text("Cơ quan (bộ phận) giải quyết hồ sơ: \(f.competent?.name ?? f.dossier.competentUnitCode).")),
            .p(.text("Cơ quan phối hợp giải quyết hồ sơ: \(f.dossier.interLevel ? f.receiving?.name ?? "" : "không").")),
            .table(.id("tracking-slip"),
                   .thead(.tr(.th(.text("Tên cơ quan, bộ phận, người giao – nhận")), .th(.text("Thời gian giao, nhận hồ sơ")),
                              .th(.text("Kết quả giải quyết hồ sơ (trước hạn/đúng hạn/quá hạn)")), .th(.text("Ghi chú")))),
                   .tbody(.forEach(f.events) { event in
                       .tr(.td(.text("\(event.actorName) (\(event.actionName))" + (event.assigneeName.map { " → \($0)" } ?? " → \(event.toStepName)"))),
                           .td(.text(OneStopViews.date(event.at))),
                           .td(.text(event.stepOnTime.map { $0 ? "Đúng hạn" : "Quá hạn" } ?? "")),
                           .td(.text(event.note ?? "")))
                   })))
    }

    /// Form 07: the unit's dossier log over a period.
    func log(_ req: Request) async throws -> Response {
        let query = try await StatisticsAPI.Query.read(req)
        let calendar = try await req.egov.calendars.calendar(on: req.db, now: req.egov.clock.now())
        let dossiers = try await DossierModel.query(on: req.db).filter(case: CasePredicates.within([query.unit.path]))
            .filter(\.$submittedAt >= calendar.startOfDay(query.from)).filter(\.$submittedAt < calendar.startOfDay(query.to.adding(days: 1)))
            .sort(\.$submittedAt).limit(2000).all()
        let ctx = try await PageContext.make(for: req)
        let place = try await SettingsStore.get(LocalitySettings.self, for: .locality, on: req.db)?.name ?? ""
        let table: Node<HTML.BodyContext> = .table(
            .id("dossier-log"),
            .thead(.tr(.th(.text("TT")), .th(.text("Mã hồ sơ")), .th(.text("Tên thủ tục hành chính")), .th(.text("Số lượng hồ sơ")),
                       .th(.text("Tên cá nhân, tổ chức")), .th(.text("Cơ quan chủ trì giải quyết")), .th(.text("Ngày nhận hồ sơ")),
                       .th(.text("Ngày hẹn trả kết quả")), .th(.text("Ngày có kết quả / kết thúc")), .th(.text("Ghi chú")))),
            .tbody(.forEach(Array(dossiers.enumerated())) { index, dossier in
                .tr(.td(.text("\(index + 1)")), .td(.text(dossier.code)), .td(.text(dossier.procedureName)), .td(.text("01")),
                    .td(.text(dossier.applicantName)), .td(.text(dossier.competentUnitCode)),
                    .td(.text(OneStopViews.date(dossier.receivedAt ?? dossier.submittedAt))), .td(.text(OneStopViews.date(dossier.dueAt))),
                    .td(.text(OneStopViews.date(dossier.finishedAt))), .td(.text(OneStopViews.statusName(ctx, dossier.status))))
            }))
        return Layout.page(ctx, title: ctx.t(LocalizedText(vi: "Mẫu 07 – Sổ theo dõi hồ sơ", en: "Form 07 – Dossier log")), content: .div(
            .class("print-form wide"), .id("form-07"),
            Self.header(unit: query.unit.name, place: place, date: req.egov.clock.now()),
            .h2(.class("form-title"), .text("SỔ THEO DÕI HỒ SƠ")),
            .p(.class("center"), .text("Từ ngày \(query.from.day)/\(query.from.month)/\(query.from.year) đến ngày \(query.to.day)/\(query.to.month)/\(query.to.year)")),
            StatsPage.periodForm(ctx, route: { OneStopRoute.dossierLog(unit: $0, from: $1, to: $2).path }, query: query),
            table))
    }
}
