"""Data module: Vietnamese wording for the demo meetings (chibo.demo.meetings): what members
say, what cells assign, why members are absent. Fictional data, written the way minutes are
written, grouped by the kind of cell (DOMAIN §1.6): residential group, village, school, police,
enterprise, agency. These are data, not interface text, so they are not translated."""

from __future__ import annotations

# -- speeches: one-sentence summaries, by kind of cell and agenda step ------------------------

REVIEW: dict[str, tuple[str, ...]] = {
    "residential": (
        "Báo cáo kết quả vận động các hộ đóng góp Quỹ Vì người nghèo, đến nay đã có {n} hộ "
        "tham gia.",
        "Đánh giá đợt tổng vệ sinh ngày chủ nhật xanh: các hộ tham gia đầy đủ, còn một số điểm "
        "để rác không đúng giờ.",
        "Tổ an ninh cơ sở đã phối hợp tuần tra ban đêm, trong tháng không xảy ra vụ trộm cắp "
        "tài sản nào.",
        "Ban công tác Mặt trận đã thăm hỏi, tặng quà {n} gia đình chính sách và hộ có hoàn cảnh "
        "khó khăn.",
        "Tình trạng lấn chiếm vỉa hè để kinh doanh ở đầu khối đã giảm rõ sau đợt tuyên truyền.",
        "Việc nộp đảng phí qua Cổng Dịch vụ công thuận lợi hơn, chỉ còn vài đồng chí cao tuổi "
        "nộp trực tiếp.",
        "Đã hỗ trợ {n} người cao tuổi cài đặt ứng dụng định danh điện tử, còn một số người cần "
        "hướng dẫn thêm.",
        "Đã hòa giải thành công mâu thuẫn về lối đi chung giữa hai hộ trong ngõ.",
        "Chi hội Cựu chiến binh và Chi hội Phụ nữ duy trì tốt mô hình phân loại rác tại nguồn.",
        "Kết quả rà soát hộ nghèo, cận nghèo đã gửi Ủy ban nhân dân phường đúng hạn.",
    ),
    "village": (
        "Báo cáo vụ mùa của thôn thu hoạch xong, năng suất bình quân khá, không có hộ thiếu đói.",
        "Đã tiêm phòng cho đàn trâu bò, lợn của thôn, trong tháng không phát sinh dịch bệnh.",
        "Đường bê tông qua xóm dưới đã làm xong, nhân dân hiến đất và góp ngày công đầy đủ.",
        "Còn vài cháu nghỉ học dài ngày, đoàn thanh niên đã đến từng nhà vận động.",
        "Tổ bảo vệ rừng tuần tra {n} lượt, không để xảy ra cháy rừng hay chặt phá rừng trái phép.",
        "Tổ tiết kiệm và vay vốn của thôn đã giải ngân đủ cho các hộ nghèo đăng ký trong quý.",
        "Các hộ đã làm xong chuồng trại cách xa nhà ở theo nội dung chi bộ vận động.",
        "Bà con đã khơi thông rãnh thoát nước đường vào thôn trước đợt mưa lớn.",
    ),
    "school": (
        "Kết quả kiểm tra giữa kỳ, tỷ lệ học sinh đạt yêu cầu tăng so với cùng kỳ năm trước.",
        "Đã duy trì lớp phụ đạo học sinh yếu hai buổi mỗi tuần, có tiến bộ rõ.",
        "Bếp ăn bán trú bảo đảm an toàn thực phẩm, không có trường hợp ngộ độc.",
        "Đã dự giờ {n} tiết của giáo viên trẻ và góp ý chuyên môn cụ thể.",
        "Hồ sơ kiểm định chất lượng giáo dục hoàn thành đúng tiến độ nhà trường đề ra.",
    ),
    "police": (
        "Tình hình an ninh trật tự trên địa bàn ổn định, số vụ trộm cắp giảm so với tháng trước.",
        "Đã tuần tra, kiểm soát {n} ca, xử lý các trường hợp vi phạm trật tự an toàn giao thông.",
        "Đã cập nhật dữ liệu cư trú và hỗ trợ định danh điện tử cho nhân dân đúng kế hoạch.",
        "Đã kiểm tra phòng cháy chữa cháy tại các cơ sở kinh doanh có điều kiện về an ninh.",
    ),
    "enterprise": (
        "Doanh thu trong tháng đạt kế hoạch, đơn hàng ổn định, không có lao động thiếu việc làm.",
        "Đã chi trả lương và đóng bảo hiểm xã hội đầy đủ, đúng hạn cho người lao động.",
        "Dịch vụ cung ứng vật tư nông nghiệp cho xã viên bảo đảm đúng thời vụ.",
        "Công đoàn đã tổ chức thăm hỏi người lao động ốm đau, có hoàn cảnh khó khăn.",
    ),
    "agency": (
        "Tỷ lệ hồ sơ thủ tục hành chính giải quyết đúng hạn trong tháng đạt trên 98%.",
        "Bộ phận một cửa vận hành ổn định, còn một số hồ sơ đất đai chậm do phải xác minh "
        "nguồn gốc.",
        "Văn bản điện tử có chữ ký số đã thay phần lớn văn bản giấy trong cơ quan.",
        "Trong tháng tiếp {n} lượt công dân, không có đơn thư vượt cấp.",
        "Dữ liệu dân cư phục vụ Đề án 06 đã được rà soát, làm sạch theo kế hoạch.",
    ),
}

TASKS: dict[str, tuple[str, ...]] = {
    "residential": (
        "Đề nghị phân công đảng viên phụ trách từng cụm dân cư để nắm tình hình tư tưởng của "
        "nhân dân.",
        "Đề xuất chỉ đạo tổ dân phố ra quân khơi thông cống rãnh trước mùa mưa.",
        "Đề nghị giao chi hội Cựu chiến binh và chi hội Phụ nữ nhân rộng mô hình phân loại rác.",
        "Đề xuất tổ chức gặp mặt các đảng viên được trao Huy hiệu Đảng tại nhà văn hóa.",
        "Đề nghị mỗi đảng viên vận động ít nhất hai hộ xung quanh thực hiện nếp sống văn minh.",
        "Đề nghị bổ sung nhiệm vụ kiểm tra các hộ cho thuê trọ cùng công an khu vực.",
    ),
    "village": (
        "Đề nghị phân công đảng viên xuống từng nhóm hộ vận động trồng rừng sản xuất.",
        "Đề xuất rà soát các hộ ở gần ta luy có nguy cơ sạt lở để báo cáo xã.",
        "Nhất trí vận động các hộ chuyển diện tích ngô kém hiệu quả sang trồng cây ăn quả.",
        "Đề nghị giao chi hội phụ nữ tuyên truyền phòng chống tảo hôn trong thanh niên.",
        "Đề nghị đôn đốc các hộ gieo cấy đúng khung thời vụ xã hướng dẫn.",
    ),
    "school": (
        "Đề nghị phân công đảng viên kèm cặp giáo viên mới về trường.",
        "Đề xuất tổ chức chuyên đề đổi mới phương pháp dạy học theo chương trình mới.",
        "Đề nghị phối hợp với phụ huynh quản lý việc học sinh dùng điện thoại.",
    ),
    "police": (
        "Đề nghị tăng cường tuần tra ban đêm ở các tuyến ngõ có nhiều nhà trọ.",
        "Đề xuất phối hợp với các khối tuyên truyền phòng chống lừa đảo qua mạng.",
        "Đề nghị kiểm tra phòng cháy chữa cháy tại các quán karaoke và nhà trọ.",
    ),
    "enterprise": (
        "Đề nghị chi bộ lãnh đạo công đoàn tổ chức đối thoại với người lao động.",
        "Đề xuất rà soát an toàn lao động và phòng cháy tại kho hàng.",
        "Đề nghị phát hiện quần chúng ưu tú là người lao động giỏi để bồi dưỡng.",
    ),
    "agency": (
        "Đề nghị phân công công chức hỗ trợ người dân nộp hồ sơ trực tuyến tại một cửa.",
        "Đề xuất hoàn thành báo cáo tổng kết và kế hoạch công tác đúng hạn.",
        "Đề nghị giải quyết dứt điểm hồ sơ đất đai tồn đọng trong tháng tới.",
    ),
}

DISCUSSION: dict[str, tuple[str, ...]] = {
    "residential": (
        "Phản ánh dư luận của nhân dân về bảng giá đất mới, đề nghị chi bộ báo cáo Đảng ủy phường.",
        "Tự phê bình chưa nắm chắc tình hình các hộ thuê trọ trong ngõ, hứa khắc phục.",
        "Đề nghị quan tâm hơn đến các đảng viên cao tuổi, sức khỏe yếu không đến được buổi "
        "sinh hoạt.",
        "Phản ánh tâm tư của nhân dân về việc sắp xếp lại tổ dân phố sau khi nhập phường.",
        "Đề nghị nhắc đảng viên gương mẫu chấp hành quy định phòng cháy ở nhà kết hợp kinh doanh.",
    ),
    "village": (
        "Phản ánh giá phân bón tăng, đề nghị xã hỗ trợ giống và hướng dẫn kỹ thuật cho bà con.",
        "Tự phê bình còn vắng sinh hoạt vì bận làm nương, hứa sắp xếp công việc để tham gia.",
        "Đề nghị đảng viên khi tuyên truyền cho bà con thì nói bằng tiếng dân tộc cho dễ hiểu.",
        "Nêu dư luận trong thôn về việc bồi thường giải phóng mặt bằng làm đường tỉnh.",
        "Đề nghị bổ sung chỉ tiêu trồng rừng cụ thể cho từng hộ đảng viên.",
    ),
    "school": (
        "Đề nghị đảng viên gương mẫu chấp hành quy định về dạy thêm, học thêm.",
        "Tự phê bình nhập điểm lên phần mềm chậm so với kế hoạch của nhà trường.",
    ),
    "police": (
        "Tự phê bình còn chậm cập nhật hồ sơ tạm trú trên hệ thống.",
        "Đề nghị chi bộ quan tâm chế độ trực và nghỉ bù cho cán bộ chiến sĩ.",
    ),
    "enterprise": (
        "Trao đổi về khó khăn thị trường, đề nghị giữ ổn định việc làm cho người lao động.",
        "Tự phê bình còn chậm nộp báo cáo tài chính quý.",
    ),
    "agency": (
        "Tự phê bình để một hồ sơ chứng thực trễ hẹn, đã xin lỗi công dân và rút kinh nghiệm.",
        "Đề nghị tăng cường kỷ luật, kỷ cương hành chính, nhất là giờ giấc làm việc.",
        "Đề nghị chi bộ quan tâm động viên công chức trẻ sau khi sắp xếp bộ máy.",
    ),
}

DISCUSSION_COMMON: tuple[str, ...] = (
    "Đồng tình với dự thảo nghị quyết, đề nghị nêu rõ người chịu trách nhiệm từng việc.",
    "Tự phê bình chưa hoàn thành đúng hạn việc được giao tháng trước, hứa khắc phục.",
    "Đề nghị tiếp tục quán triệt Chỉ thị 50-CT/TW về nâng cao chất lượng sinh hoạt chi bộ.",
    "Đề nghị mỗi đảng viên tích cực đấu tranh với thông tin sai trái trên mạng xã hội.",
    "Nhất trí với dự thảo nghị quyết, không có ý kiến bổ sung.",
)

THEMATIC_SPEECHES: tuple[str, ...] = (
    "Liên hệ bản thân với nội dung chuyên đề và nêu việc làm cụ thể trong thời gian tới.",
    "Đề nghị đưa nội dung chuyên đề vào tiêu chí đánh giá đảng viên cuối năm.",
    "Chia sẻ kinh nghiệm thực hiện chuyên đề ở gia đình và nơi cư trú.",
    "Đề xuất mỗi đảng viên đăng ký một việc làm làm theo gương Bác.",
    "Nêu những việc chi bộ đã làm được và còn hạn chế so với yêu cầu của chuyên đề.",
)

# -- thematic meetings: at least one a quarter (DOMAIN R1.3) ----------------------------------

THEMATIC_TOPICS: dict[str, tuple[str, ...]] = {
    "residential": (
        "Học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh về xây dựng khu dân cư "
        "văn minh, nghĩa tình",
        "Vai trò của đảng viên trong thực hiện dân chủ ở cơ sở",
        "Phòng chống tội phạm và tệ nạn xã hội trên địa bàn khu dân cư",
        "Giữ gìn vệ sinh môi trường, phân loại rác thải tại nguồn",
        "Đảng viên gương mẫu giữ mối liên hệ với nhân dân nơi cư trú",
        "Bảo vệ nền tảng tư tưởng của Đảng, đấu tranh phản bác các quan điểm sai trái",
    ),
    "village": (
        "Phát triển kinh tế hộ gia đình, giảm nghèo bền vững",
        "Bảo vệ rừng và phòng cháy chữa cháy rừng",
        "Phòng chống sạt lở đất, lũ quét trong mùa mưa bão",
        "Xây dựng nông thôn mới gắn với giữ gìn bản sắc văn hóa dân tộc",
        "Phòng chống tảo hôn và hôn nhân cận huyết thống",
        "Học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh về đoàn kết các dân tộc",
    ),
    "school": (
        "Đổi mới phương pháp dạy học theo chương trình giáo dục phổ thông 2018",
        "Xây dựng trường học an toàn, thân thiện",
        "Nêu gương nhà giáo trong học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh",
    ),
    "police": (
        "Xây dựng lực lượng công an phường trong sạch, vững mạnh",
        "Học tập và làm theo Sáu điều Bác Hồ dạy công an nhân dân",
        "Phòng chống tội phạm sử dụng công nghệ cao",
    ),
    "enterprise": (
        "Xây dựng quan hệ lao động hài hòa, ổn định trong doanh nghiệp",
        "Phát triển đảng viên trong người lao động",
        "Thực hành tiết kiệm, chống lãng phí trong sản xuất kinh doanh",
    ),
    "agency": (
        "Cải cách hành chính và chuyển đổi số trong giải quyết thủ tục cho người dân",
        "Nâng cao tinh thần trách nhiệm và phong cách làm việc của cán bộ, công chức",
        "Phòng chống tham nhũng, tiêu cực trong thực thi công vụ",
        "Thực hành tiết kiệm, chống lãng phí trong cơ quan",
    ),
}

# -- assignments for next month (DOMAIN §1.4 step 8) ------------------------------------------

ASSIGNMENTS: dict[str, tuple[str, ...]] = {
    "residential": (
        "Vận động các hộ tham gia tổng vệ sinh môi trường ngày chủ nhật cuối tháng",
        "Rà soát, lập danh sách hộ nghèo, cận nghèo và gia đình chính sách để thăm hỏi",
        "Nắm tình hình tư tưởng, dư luận của nhân dân ở cụm dân cư được phân công",
        "Phối hợp với tổ an ninh cơ sở kiểm tra các hộ cho thuê trọ",
        "Vận động nhân dân đóng góp Quỹ Vì người nghèo và Quỹ Đền ơn đáp nghĩa",
        "Hướng dẫn người cao tuổi sử dụng ứng dụng định danh điện tử",
        "Tuyên truyền phòng chống lừa đảo qua mạng cho hội viên người cao tuổi",
        "Nhắc nhở các hộ kinh doanh không lấn chiếm vỉa hè",
        "Chuẩn bị nội dung sinh hoạt chuyên đề quý của chi bộ",
        "Giới thiệu quần chúng ưu tú đi học lớp bồi dưỡng nhận thức về Đảng",
        "Thăm hỏi đảng viên cao tuổi ốm đau",
        "Vận động các hộ tham gia phân loại rác thải tại nguồn",
    ),
    "village": (
        "Vận động các hộ tiêm phòng cho đàn gia súc, gia cầm",
        "Phát quang, khơi thông rãnh thoát nước đường liên thôn",
        "Vận động học sinh nghỉ học dài ngày quay trở lại lớp",
        "Tuần tra bảo vệ rừng, phòng cháy chữa cháy rừng",
        "Rà soát các hộ có nguy cơ sạt lở để báo cáo Ủy ban nhân dân xã",
        "Hướng dẫn các hộ đăng ký vay vốn phát triển sản xuất",
        "Vận động các hộ làm chuồng trại cách xa nhà ở",
        "Tuyên truyền phòng chống tảo hôn trong thanh niên của thôn",
        "Vận động nhân dân góp công làm đường bê tông nội thôn",
        "Đôn đốc các hộ gieo cấy đúng khung thời vụ",
    ),
    "school": (
        "Dự giờ, góp ý chuyên môn cho giáo viên mới",
        "Phụ đạo học sinh yếu ở khối lớp được phân công",
        "Hoàn thành nhập điểm và nhận xét trên phần mềm quản lý trường học",
        "Kiểm tra an toàn thực phẩm bếp ăn bán trú",
        "Chuẩn bị hồ sơ kiểm định chất lượng giáo dục",
        "Phối hợp với cha mẹ học sinh quản lý học sinh sau giờ học",
    ),
    "police": (
        "Tuần tra ban đêm tại các tuyến ngõ có nhiều nhà trọ",
        "Tuyên truyền phòng chống lừa đảo qua mạng tại các khu dân cư",
        "Kiểm tra phòng cháy chữa cháy tại các cơ sở kinh doanh có điều kiện",
        "Cập nhật dữ liệu cư trú, định danh điện tử cho nhân dân",
        "Nắm tình hình an ninh trật tự tại các điểm giáp ranh",
    ),
    "enterprise": (
        "Tổ chức đối thoại giữa ban giám đốc và người lao động",
        "Kiểm tra an toàn lao động và phòng cháy tại kho hàng",
        "Đôn đốc đóng bảo hiểm xã hội đầy đủ cho người lao động",
        "Phát hiện, bồi dưỡng quần chúng ưu tú để giới thiệu kết nạp Đảng",
        "Hoàn thành báo cáo tài chính quý đúng hạn",
    ),
    "agency": (
        "Hỗ trợ người dân nộp hồ sơ trực tuyến tại bộ phận một cửa",
        "Rà soát, làm sạch dữ liệu dân cư phục vụ Đề án 06",
        "Giải quyết dứt điểm hồ sơ đất đai tồn đọng",
        "Hoàn thành báo cáo kết quả thực hiện nhiệm vụ tháng gửi Đảng ủy",
        "Tiếp công dân định kỳ và trả lời kiến nghị của cử tri",
        "Triển khai chữ ký số trong toàn bộ văn bản đi của cơ quan",
    ),
}

THEMATIC_ASSIGNMENT = "Tổng hợp việc làm cụ thể đảng viên đăng ký thực hiện chuyên đề"

# -- praise, reminders ------------------------------------------------------------------------

PRAISE: dict[str, tuple[str, ...]] = {
    "residential": (
        "Tích cực vận động nhân dân tham gia vệ sinh môi trường khu dân cư.",
        "Hòa giải thành công mâu thuẫn giữa các hộ trong ngõ.",
        "Gương mẫu, vận động được nhiều hộ ủng hộ Quỹ Vì người nghèo.",
    ),
    "village": (
        "Đi đầu hiến đất làm đường bê tông nội thôn.",
        "Tích cực tuần tra bảo vệ rừng, phát hiện kịp thời điểm cháy.",
        "Vận động được học sinh nghỉ học dài ngày trở lại lớp.",
    ),
    "school": (
        "Có học sinh đạt giải trong kỳ thi học sinh giỏi.",
        "Nhiệt tình kèm cặp giáo viên mới về trường.",
    ),
    "police": (
        "Phát hiện, xử lý kịp thời một vụ trộm cắp tài sản của nhân dân.",
        "Hoàn thành xuất sắc đợt cao điểm tuần tra kiểm soát.",
    ),
    "enterprise": (
        "Có sáng kiến cải tiến quy trình, tiết kiệm chi phí cho đơn vị.",
        "Hoàn thành vượt kế hoạch doanh thu được giao.",
    ),
    "agency": (
        "Giải quyết hồ sơ cho người dân đúng và trước hạn, được nhân dân khen ngợi.",
        "Hoàn thành tốt việc số hóa hồ sơ lưu trữ của cơ quan.",
    ),
}

PRAISE_COMMON: tuple[str, ...] = (
    "Hoàn thành tốt nhiệm vụ được chi bộ phân công tháng trước.",
    "Có nhiều ý kiến đóng góp xây dựng dự thảo nghị quyết.",
)

REMINDER_UNEXCUSED = "Vắng sinh hoạt chi bộ không có lý do."
REMINDER_NOT_DONE = "Chưa hoàn thành nhiệm vụ được giao: {title}."

# -- absences ---------------------------------------------------------------------------------

ABSENCE_REASONS: dict[str, tuple[str, ...]] = {
    "residential": (
        "Đi công tác",
        "Ốm",
        "Việc gia đình",
        "Đi viện kiểm tra sức khỏe",
        "Về quê có việc",
        "Trông cháu ốm",
        "Đi làm ca",
    ),
    "village": (
        "Ốm",
        "Việc gia đình",
        "Đi làm ăn xa",
        "Lên nương",
        "Đưa con đi viện",
        "Đi ăn cưới ở xã bạn",
    ),
    "school": ("Đi công tác", "Ốm", "Việc gia đình", "Đi học lớp bồi dưỡng", "Coi thi"),
    "police": ("Làm nhiệm vụ trực chiến đấu", "Đi công tác", "Ốm", "Việc gia đình"),
    "enterprise": ("Đi công tác", "Làm ca", "Ốm", "Việc gia đình"),
    "agency": ("Đi công tác", "Ốm", "Việc gia đình", "Đi học lớp bồi dưỡng", "Nghỉ phép"),
}
ABSENCE_REASONS_ELDERLY = ("Ốm", "Sức khỏe yếu", "Đi viện")
AWAY_REASON = {"village": "Đi làm ăn xa", "residential": "Đi công tác dài ngày"}
LATE_REASONS: dict[str, tuple[str, ...]] = {
    "residential": ("Tan làm muộn", "Đón con", "Tắc đường", "Bận việc gia đình"),
    "village": ("Đường xa", "Đi nương về muộn", "Bận việc gia đình"),
    "other": ("Họp chuyên môn kéo dài", "Tắc đường", "Đón con"),
}

# -- cancelled months -------------------------------------------------------------------------

# (months it fits, or () for any month; reason)
CANCEL_REASONS: dict[str, tuple[tuple[tuple[int, ...], str], ...]] = {
    "residential": (
        (
            (2,),
            "Trùng thời gian nghỉ Tết Nguyên đán; nội dung chuyển sang buổi sinh hoạt tháng sau",
        ),
        ((11,), "Trùng lịch tổ chức Ngày hội Đại đoàn kết toàn dân tộc ở khu dân cư"),
        ((), "Nhà văn hóa khu dân cư đang sửa chữa, chưa bố trí được địa điểm"),
        ((), "Đồng chí bí thư chi bộ nằm viện, đồng chí phó bí thư đi công tác"),
    ),
    "village": (
        ((6, 7, 8, 9), "Mưa lớn gây sạt lở, đường vào thôn bị chia cắt"),
        ((2,), "Trùng thời gian nghỉ Tết Nguyên đán"),
        ((5, 10), "Vào vụ thu hoạch, phần lớn đảng viên đi làm nương xa"),
        ((), "Đồng chí bí thư chi bộ ốm, chưa bố trí được người chủ trì"),
    ),
}

# -- news step (DOMAIN §1.4 step 6): anniversaries computed from the year ---------------------


def news_of_month(year: int, month: int, upper: str) -> str:
    """The current-affairs item of a month, with the anniversary the month is known for."""
    items = {
        1: f"Chuẩn bị kỷ niệm {year - 1930} năm Ngày thành lập Đảng Cộng sản Việt Nam (3/2)",
        2: f"Kỷ niệm {year - 1930} năm Ngày thành lập Đảng Cộng sản Việt Nam (3/2/1930); "
        "đón Tết Nguyên đán an toàn, tiết kiệm",
        3: "Kỷ niệm Ngày Quốc tế Phụ nữ 8/3 và Ngày thành lập Đoàn Thanh niên Cộng sản "
        f"Hồ Chí Minh ({year - 1931} năm)",
        4: f"Kỷ niệm {year - 1975} năm Ngày giải phóng miền Nam, thống nhất đất nước (30/4)",
        5: f"Kỷ niệm {year - 1890} năm Ngày sinh Chủ tịch Hồ Chí Minh (19/5)",
        6: f"Kế hoạch phòng chống thiên tai, tìm kiếm cứu nạn mùa mưa bão năm {year}",
        7: f"Kỷ niệm {year - 1947} năm Ngày Thương binh – Liệt sĩ (27/7)",
        8: f"Kỷ niệm {year - 1945} năm Cách mạng Tháng Tám và Quốc khánh 2/9",
        9: f"Khai giảng năm học {year}–{year + 1}; phòng chống dịch sốt xuất huyết",
        10: f"Kỷ niệm {year - 1930} năm Ngày thành lập Hội Liên hiệp Phụ nữ Việt Nam (20/10)",
        11: f"Ngày hội Đại đoàn kết toàn dân tộc ở khu dân cư và kỷ niệm {year - 1930} năm "
        "Ngày thành lập Mặt trận Tổ quốc Việt Nam (18/11)",
        12: f"Kỷ niệm {year - 1944} năm Ngày thành lập Quân đội nhân dân Việt Nam (22/12)",
    }
    if (year, month) == (2026, 1):
        items[1] = "Đại hội đại biểu toàn quốc lần thứ XIV của Đảng"
    if (year, month) == (2026, 3):
        items[3] = (
            "Cuộc bầu cử đại biểu Quốc hội khóa XVI và đại biểu Hội đồng nhân dân các cấp "
            "nhiệm kỳ 2026–2031"
        )
    return (
        f"Thông tin thời sự trong nước, quốc tế nổi bật; {items[month][0].lower()}"
        f"{items[month][1:]}; quán triệt văn bản mới của {upper}."
    )


# -- the month's review in the resolution (supervision's perfunctory detection) ----------------
# Most cells write a different review every month: what the month was about, two results from
# REVIEW and a shortcoming. Three demo cells (demo.supervision.quality) copy the same paragraph
# month after month, changing only the month: the level above should see them flagged.

MONTH_WORK = {
    1: "tập trung chuẩn bị đón Tết, thăm hỏi gia đình chính sách và hộ khó khăn",
    2: "tổ chức đón Tết an toàn, tiết kiệm; giữ gìn trật tự trong những ngày nghỉ Tết",
    3: "triển khai đợt ra quân trồng cây và vận động thanh niên lên đường nhập ngũ",
    4: "hoàn thành kiểm điểm quý I, rà soát việc thực hiện nghị quyết đầu năm",
    5: "tổ chức các hoạt động kỷ niệm Ngày sinh Chủ tịch Hồ Chí Minh",
    6: "chuẩn bị phương án phòng chống thiên tai, khơi thông cống rãnh trước mùa mưa",
    7: "thăm hỏi, tặng quà thương binh, gia đình liệt sĩ nhân ngày 27/7",
    8: "vận động các hộ tham gia bảo hiểm y tế, chuẩn bị kỷ niệm Quốc khánh",
    9: "hỗ trợ học sinh khó khăn vào năm học mới, phòng chống sốt xuất huyết",
    10: "sơ kết 9 tháng, đối chiếu từng chỉ tiêu nghị quyết năm của chi bộ",
    11: "tổ chức Ngày hội Đại đoàn kết toàn dân tộc ở khu dân cư",
    12: "chuẩn bị kiểm điểm, đánh giá, xếp loại đảng viên cuối năm",
}

SHORTCOMINGS = (
    "Hạn chế: một số đảng viên cao tuổi chưa tham gia đầy đủ các buổi sinh hoạt.",
    "Hạn chế: việc báo cáo kết quả nhiệm vụ được giao còn chậm, phải nhắc nhiều lần.",
    "Hạn chế: ý kiến phát biểu tại buổi sinh hoạt chưa nhiều, còn nể nang.",
    "Hạn chế: công tác nắm tình hình dư luận trong nhân dân chưa thường xuyên.",
    "Hạn chế: một vài nhiệm vụ chưa có người theo dõi đến cùng, kết quả chưa rõ.",
    "Hạn chế: chưa kịp thời biểu dương các tập thể, cá nhân làm tốt.",
    "Hạn chế: việc thu đảng phí còn để một đồng chí chậm nộp.",
)

# What the three repeating cells write every month (only the month changes).
REPEATED_EVALUATION = (
    "Trong tháng {month}/{year}, chi bộ đã lãnh đạo đảng viên hoàn thành các nhiệm vụ đã đề "
    "ra. Tình hình tư tưởng của đảng viên và nhân dân ổn định; đảng viên chấp hành tốt chủ "
    "trương của Đảng, chính sách, pháp luật của Nhà nước. Các đoàn thể hoạt động đều."
)
REPEATED_TASKS = (
    "1. Tiếp tục thực hiện tốt các nhiệm vụ chính trị của chi bộ trong tháng {month}.\n"
    "2. Tuyên truyền, vận động nhân dân chấp hành chủ trương của Đảng, chính sách, pháp luật "
    "của Nhà nước.\n3. Duy trì sinh hoạt chi bộ định kỳ, thu nộp đảng phí đầy đủ."
)
