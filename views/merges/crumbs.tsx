/** The breadcrumb back to the clients list that the duplicates and merge history pages share. */
export const Crumbs = ({ here }: { here: string }) => (
  <p class="crumbs">
    <a href="/app/clients">Clients</a> / {here}
  </p>
)
