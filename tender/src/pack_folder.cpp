#include "lotwright/tender/pack_folder.hpp"

#include <string>

#include "lotwright/gis/out_folder.hpp"

namespace lotwright::tender {

struct PackFolder::Impl {
  geo::TenderTarget target;
  geo::OutputTransaction tx;
  Impl(const geo::TenderTarget& t, const std::vector<std::filesystem::path>& inputs)
      : target(t),
        tx(t.dir, t.sub.empty() ? "tender" : "plan", inputs,
           t.sub.empty() ? std::vector<std::string>{} : std::vector<std::string>{t.sub}) {}
};

PackFolder::PackFolder(const std::filesystem::path& out,
                       const std::vector<std::filesystem::path>& inputs)
    : impl_(std::make_unique<Impl>(geo::tender_target(out), inputs)),
      destination_(impl_->target.sub.empty() ? out : out / impl_->target.sub) {}

PackFolder::~PackFolder() = default;

PackSummary PackFolder::write(const PackInputs& in) {
  const std::filesystem::path staged =
      impl_->target.sub.empty() ? impl_->tx.staging() : impl_->tx.staging() / impl_->target.sub;
  PackSummary s = write_tender_pack(staged, in);
  if (!impl_->target.sub.empty()) geo::write_manifest(staged, "tender");
  impl_->tx.commit();
  return s;
}

}  // namespace lotwright::tender
