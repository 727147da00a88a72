import EGovCore
import EGovWeb

/// The module's UI text: Vietnamese first, English beside it.
enum OneStopText {
    typealias T = LocalizedText

    static let procedures = T(vi: "Thủ tục hành chính", en: "Procedures")
    static let searchProcedures = T(vi: "Tìm thủ tục", en: "Find a procedure")
    static let searchHint = T(vi: "Gõ có dấu hoặc không dấu, ví dụ: khai sinh", en: "With or without diacritics, e.g. khai sinh")
    static let keyword = T(vi: "Từ khóa", en: "Keyword")
    static let field = T(vi: "Lĩnh vực", en: "Field")
    static let allFields = T(vi: "Tất cả lĩnh vực", en: "All fields")
    static let allUnits = T(vi: "Tất cả cơ quan", en: "All units")
    static let allLevels = T(vi: "Tất cả mức độ", en: "All levels")
    static let search = T(vi: "Tìm kiếm", en: "Search")
    static let found = T(vi: "Số thủ tục tìm thấy", en: "Procedures found")
    static let code = T(vi: "Mã thủ tục", en: "Procedure code")
    static let onlineLevel = T(vi: "Mức độ dịch vụ công trực tuyến", en: "Online service level")
    static let processingTime = T(vi: "Thời hạn giải quyết", en: "Processing time")
    static let workingDays = T(vi: "ngày làm việc", en: "working days")
    static let fees = T(vi: "Phí, lệ phí", en: "Fees and charges")
    static let free = T(vi: "Không mất phí", en: "Free")
    static let legalBasis = T(vi: "Căn cứ pháp lý", en: "Legal basis")
    static let components = T(vi: "Thành phần hồ sơ", en: "Documents to hand in")
    static let required = T(vi: "bắt buộc", en: "required")
    static let optional = T(vi: "nếu có", en: "if any")
    static let result = T(vi: "Kết quả", en: "Result")
    static let units = T(vi: "Cơ quan giải quyết", en: "Deciding units")
    static let submitOnline = T(vi: "Nộp hồ sơ trực tuyến", en: "Apply online")
    static let receiveAtCounter = T(vi: "Tiếp nhận hồ sơ tại quầy", en: "Receive at the counter")
    static let signInToSubmit = T(vi: "Đăng nhập để nộp hồ sơ trực tuyến", en: "Sign in to apply online")
    static let notOnline = T(vi: "Thủ tục này nộp trực tiếp tại Bộ phận Một cửa.", en: "This procedure is handled at a one-stop counter.")

    static let applicant = T(vi: "Thông tin người nộp hồ sơ", en: "Applicant")
    static let prefilled = T(vi: "Thông tin đã có trong tài khoản được điền sẵn; bạn không phải khai lại.",
                             en: "Details from your account are filled in; you do not have to enter them again.")
    static let fullName = T(vi: "Họ và tên", en: "Full name")
    static let idNumber = T(vi: "Số định danh cá nhân", en: "Personal identification number")
    static let phone = T(vi: "Số điện thoại", en: "Phone")
    static let email = T(vi: "Thư điện tử", en: "E-mail")
    static let address = T(vi: "Địa chỉ", en: "Address")
    static let unit = T(vi: "Cơ quan giải quyết", en: "Deciding unit")
    static let receivingCommune = T(vi: "UBND cấp xã nơi nộp hồ sơ và nhận kết quả", en: "Commune where you hand in and collect")
    static let resultDelivery = T(vi: "Hình thức nhận kết quả", en: "How to receive the result")
    static let consultedUnit = T(vi: "Đơn vị được xin ý kiến", en: "Unit to consult")
    static let formContent = T(vi: "Nội dung đề nghị (tờ khai)", en: "Your application (form)")
    static let attachFile = T(vi: "Chọn tệp", en: "Choose a file")
    static let reuse = T(vi: "Hoặc dùng lại giấy tờ đã nộp", en: "Or reuse a paper you handed in before")
    static let reuseNone = T(vi: "— không dùng lại —", en: "— do not reuse —")
    static let accepted = T(vi: "Định dạng", en: "Types")
    static let send = T(vi: "Nộp hồ sơ", en: "Submit")

    static let myDossiers = T(vi: "Hồ sơ của tôi", en: "My dossiers")
    static let dossier = T(vi: "Hồ sơ", en: "Dossier")
    static let dossierCode = T(vi: "Mã hồ sơ", en: "Dossier code")
    static let status = T(vi: "Trạng thái", en: "Status")
    static let currentStep = T(vi: "Bước hiện tại", en: "Current step")
    static let submittedAt = T(vi: "Ngày nộp", en: "Submitted")
    static let receivedAt = T(vi: "Ngày tiếp nhận", en: "Received")
    static let dueAt = T(vi: "Ngày hẹn trả kết quả", en: "Due")
    static let stepDueAt = T(vi: "Hạn xử lý của bước", en: "Step due")
    static let finishedAt = T(vi: "Ngày kết thúc", en: "Finished")
    static let assignee = T(vi: "Người xử lý", en: "Handler")
    static let history = T(vi: "Quá trình xử lý", en: "History")
    static let files = T(vi: "Tệp hồ sơ", en: "Files")
    static let resultFiles = T(vi: "Kết quả giải quyết", en: "Result")
    static let actions = T(vi: "Thao tác", en: "Actions")
    static let note = T(vi: "Ghi chú, lý do", en: "Note or reason")
    static let nextHandler = T(vi: "Chuyển cho (không chọn: mọi cán bộ phụ trách bước sau)", en: "Hand to (none: any holder of the next step)")
    static let anyone = T(vi: "— cán bộ phụ trách bước sau —", en: "— whoever holds the next step —")
    static let attachments = T(vi: "Tệp đính kèm", en: "Attachments")
    static let resultPDF = T(vi: "Tệp kết quả (PDF)", en: "Result file (PDF)")
    static let signingPin = T(vi: "Mã PIN ký số của bạn", en: "Your signing PIN")
    static let sealPin = T(vi: "Mã PIN con dấu số của đơn vị", en: "The unit's seal PIN")
    static let signsOfficer = T(vi: "Kết quả PDF sẽ được ký số bằng chữ ký của bạn; bản đã ký thay cho bản gửi lên.",
                                en: "The result PDF will be signed with your signature; the signed copy replaces the one sent.")
    static let signsWithSeal = T(vi: "Kết quả PDF sẽ được ký số bằng chữ ký của bạn và con dấu số của đơn vị; bản đã ký thay cho bản gửi lên.",
                                 en: "The result PDF will be signed with your signature and the unit's seal; the signed copy replaces the one sent.")
    static let time = T(vi: "Thời gian", en: "Time")
    static let actor = T(vi: "Người thực hiện", en: "By")
    static let content = T(vi: "Nội dung", en: "Details")
    static let noDossiers = T(vi: "Chưa có hồ sơ nào.", en: "No dossiers yet.")
    static let forms = T(vi: "Phiếu, biểu mẫu", en: "Forms")
    static let pay = T(vi: "Thanh toán trực tuyến", en: "Pay online")
    static let feeDue = T(vi: "Phí, lệ phí phải nộp", en: "Fees due")
    static let paid = T(vi: "Đã nộp", en: "Paid")
    static let cash = T(vi: "Thu tiền mặt tại quầy", en: "Take cash at the counter")
    static let done = T(vi: "Đã thực hiện.", en: "Done.")

    static let tracking = T(vi: "Tra cứu hồ sơ", en: "Track a dossier")
    static let trackingHint = T(vi: "Nhập mã hồ sơ ghi trên giấy tiếp nhận, ví dụ 000.00.20.H99-260921-0001",
                                en: "Enter the code on your receipt, e.g. 000.00.20.H99-260921-0001")
    static let lookUp = T(vi: "Tra cứu", en: "Look up")

    static let queue = T(vi: "Xử lý hồ sơ", en: "Dossiers to handle")
    static let queueHint = T(vi: "Hồ sơ đang chờ bạn xử lý, hạn gần nhất trước.", en: "Dossiers waiting for you, the earliest deadline first.")
    static let all = T(vi: "Tất cả", en: "All")
    static let late = Strings.late
    static let atRisk = Strings.atRisk
    static let onTime = Strings.onTime
    static let paused = Strings.paused
    static let finishedOnTime = Strings.finishedOnTime
    static let finishedLate = Strings.finishedLate
    static let deadline = T(vi: "Tình trạng hạn xử lý", en: "Deadline")
    static let notStarted = Strings.notStarted
    static let unitDossiers = T(vi: "Hồ sơ của đơn vị", en: "The unit's dossiers")
    static let dossierLog = T(vi: "Sổ theo dõi hồ sơ", en: "Dossier log")
    static let statistics = T(vi: "Thống kê", en: "Statistics")
    static let applicantName = T(vi: "Người nộp", en: "Applicant")
    static let procedure = T(vi: "Thủ tục", en: "Procedure")
    static let rate = T(vi: "Đánh giá mức độ hài lòng", en: "Rate the service")
    static let print = T(vi: "In phiếu", en: "Print")
    static let identityChecked = T(vi: "Đã đối chiếu căn cước công dân của người nộp (hồ sơ sẽ hiện trong tài khoản trực tuyến cùng số định danh)",
                                   en: "The applicant's citizen identity card was checked (the dossier then shows in the online account with this number)")
}
