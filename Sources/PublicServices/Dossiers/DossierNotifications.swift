import EGovCore
import EGovPlatform
import Fluent
import Foundation

/// The messages an action sends (its `notify` list): to the applicant by e-mail and SMS, to the
/// officer the dossier was handed to by e-mail. Written to the outbox in the action's transaction.
struct DossierNotifications: Sendable {
    let services: PlatformServices

    func after(_ action: ProcessDefinition.Action, dossier: DossierModel, note: String?, assignee: UserModel?, at date: Date,
               on tx: any Database) async throws {
        let branding = try await SettingsStore.get(Branding.self, for: .branding, on: tx) ?? .fallback
        let link = services.configuration.baseURL + OneStopRoute.dossier(code: dossier.code).path
        if action.notify.contains("applicant"), let message = applicantMessage(action, dossier: dossier, note: note, link: link) {
            try await send(message, to: dossier, branding: branding, link: link, at: date, on: tx)
        }
        if action.notify.contains("holder"), let assignee, let email = assignee.email {
            let body = """
                Kính gửi \(assignee.fullName),

                Hồ sơ \(dossier.code) (\(dossier.procedureName)) vừa được chuyển đến đồng chí để xử lý: \(action.name).
                \(dossier.stepDueAt.map { "Hạn xử lý của bước: \(VietnamTime.format($0))." } ?? "")
                Xem hồ sơ: \(link)

                \(branding.portalName)
                """
            try await Outbox.enqueue(.email, to: email, subject: "Hồ sơ \(dossier.code) chờ đồng chí xử lý", body: body,
                                     reference: "dossier:\(dossier.code)", at: date, on: tx)
        }
    }

    /// The apology sent once when a dossier passes its due date (form 04 follows from the officer).
    func late(_ dossier: DossierModel, at date: Date, on tx: any Database) async throws {
        let branding = try await SettingsStore.get(Branding.self, for: .branding, on: tx) ?? .fallback
        let link = services.configuration.baseURL + OneStopRoute.dossier(code: dossier.code).path
        let message = Message(subject: "Hồ sơ \(dossier.code) chậm so với ngày hẹn trả kết quả", lines: [
            "Hồ sơ \(dossier.procedureName) của Ông/Bà đã quá ngày hẹn trả kết quả"
                + (dossier.dueAt.map { " (\(VietnamTime.format($0)))" } ?? "") + ".",
            "Cơ quan giải quyết thành thật xin lỗi Ông/Bà và sẽ thông báo ngày hẹn mới (Mẫu 04).",
        ], sms: "hồ sơ đã quá hạn, cơ quan xin lỗi và sẽ hẹn lại")
        try await send(message, to: dossier, branding: branding, link: link, at: date, on: tx)
    }

    struct Message {
        let subject: String
        let lines: [String]
        let sms: String
    }

    func applicantMessage(_ action: ProcessDefinition.Action, dossier: DossierModel, note: String?, link: String) -> Message? {
        let code = dossier.code
        switch action.actionID {
        case DossierAction.receive:
            return Message(subject: "Hồ sơ \(code) đã được tiếp nhận", lines: [
                "Hồ sơ \(dossier.procedureName) của Ông/Bà đã được tiếp nhận, mã hồ sơ \(code).",
                dossier.dueAt.map { "Ngày hẹn trả kết quả: \(VietnamTime.format($0))." } ?? "",
            ], sms: "đã được tiếp nhận" + (dossier.dueAt.map { ", hẹn trả \(VietnamTime.format($0, withTime: false))" } ?? ""))
        case DossierAction.requestSupplement:
            return Message(subject: "Hồ sơ \(code) cần bổ sung, hoàn thiện", lines: [
                "Hồ sơ \(dossier.procedureName) của Ông/Bà cần được bổ sung, hoàn thiện (Mẫu 02).",
                "Nội dung cần bổ sung: \(note ?? "")",
                "Vui lòng đăng nhập và bổ sung trực tuyến. Thời gian chờ bổ sung không tính vào thời hạn giải quyết.",
            ], sms: "cần bổ sung hồ sơ, xem chi tiết tại cổng dịch vụ công")
        case DossierAction.approve:
            let delivery: String = switch DossierModel.Delivery(rawValue: dossier.resultDelivery) {
            case .post: "Kết quả sẽ được gửi qua dịch vụ bưu chính công ích đến địa chỉ Ông/Bà đã đăng ký."
            case .online: "Ông/Bà xem và tải bản điện tử của kết quả trên Cổng dịch vụ công."
            case .counter, nil: "Ông/Bà nhận kết quả tại Bộ phận Một cửa nơi đã nộp hồ sơ (\(dossier.receivingUnitCode))."
            }
            return Message(subject: "Hồ sơ \(code) đã có kết quả", lines: [
                "Hồ sơ \(dossier.procedureName) của Ông/Bà đã có kết quả giải quyết.",
                delivery,
            ], sms: "đã có kết quả")
        case DossierAction.returnResult:
            return Message(subject: "Hồ sơ \(code) đã trả kết quả", lines: [
                "Hồ sơ \(dossier.procedureName) của Ông/Bà đã được trả kết quả.",
                "Mời Ông/Bà đánh giá mức độ hài lòng về việc giải quyết hồ sơ.",
            ], sms: "đã trả kết quả, mời đánh giá mức độ hài lòng")
        case DossierAction.refuse:
            return Message(subject: "Hồ sơ \(code) bị từ chối giải quyết", lines: [
                "Hồ sơ \(dossier.procedureName) của Ông/Bà bị từ chối giải quyết (Mẫu 03).",
                "Lý do: \(note ?? "")",
            ], sms: "bị từ chối giải quyết, xem lý do tại cổng dịch vụ công")
        case DossierAction.pay:
            return Message(subject: "Đã nhận phí, lệ phí hồ sơ \(code)", lines: [
                "Đã nhận đủ phí, lệ phí \(VND.format(dossier.feeAmount)) của hồ sơ \(dossier.procedureName).",
            ], sms: "đã nhận phí, lệ phí")
        default:
            guard let status = dossier.dossierStatus else { return nil }
            return Message(subject: "Hồ sơ \(code): \(status.label.vi.lowercased())", lines: [
                "Hồ sơ \(dossier.procedureName) của Ông/Bà: \(action.name.lowercased()).",
            ], sms: status.label.vi.lowercased())
        }
    }

    private func send(_ message: Message, to dossier: DossierModel, branding: Branding, link: String, at date: Date,
                      on tx: any Database) async throws {
        let reference = "dossier:\(dossier.code)"
        if let email = dossier.applicantEmail, !email.isEmpty {
            let body = (["Kính gửi Ông/Bà \(dossier.applicantName),", ""] + message.lines.filter { !$0.isEmpty }
                + ["", "Theo dõi hồ sơ: \(link)", "", branding.portalName]).joined(separator: "\n")
            try await Outbox.enqueue(.email, to: email, subject: message.subject, body: body, reference: reference, at: date, on: tx)
        }
        if let sealed = dossier.applicantPhoneSealed, let phone = try? services.personalData.open(sealed) {
            try await Outbox.enqueue(.sms, to: phone, subject: "", body: "\(branding.shortName): Hồ sơ \(dossier.code) \(message.sms).",
                                     reference: reference, at: date, on: tx)
        }
    }
}
