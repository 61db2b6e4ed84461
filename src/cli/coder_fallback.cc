// Until the coder library (src/coder) is built, `dyad code` and `dyad validate` link against
// this stand-in, whose Create() says what is missing, so that every other command still
// builds. src/cli/CMakeLists.txt defines DYAD_HAVE_CODER when the real one exists; then this
// file compiles to nothing (and can be deleted).
#ifndef DYAD_HAVE_CODER
#include "dyad/coder.h"

namespace dyad::coder {

struct Coder::Impl {
  std::shared_ptr<const dict::Dictionary> dictionary;
  CoderOptions options;
};

Result<Coder> Coder::Create(std::shared_ptr<const dict::Dictionary>, const CoderOptions&) {
  return Status::Error("this build of dyad has no event coder (src/coder is not built yet)");
}
std::vector<Event> Coder::Code(const Document&, std::vector<SentenceTrace>*) const { return {}; }
const dict::Dictionary& Coder::dictionary() const { return *impl_->dictionary; }
const CoderOptions& Coder::options() const { return impl_->options; }
Coder::Coder() = default;
Coder::~Coder() = default;
Coder::Coder(Coder&&) noexcept = default;
Coder& Coder::operator=(Coder&&) noexcept = default;

}  // namespace dyad::coder
#endif
