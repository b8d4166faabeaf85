import journal from './meta/_journal.json';
import m0000 from './0000_init.sql';
import m0001 from './0001_crm.sql';
import m0002 from './0002_client_search.sql';
import m0003 from './0003_imports.sql';
import m0004 from './0004_messaging.sql';
import m0005 from './0005_stats_index.sql';
import m0006 from './0006_engagement.sql';
import m0007 from './0007_unsubscribe_url.sql';
import m0008 from './0008_integrations.sql';
import m0009 from './0009_portal.sql';
import m0010 from './0010_client_cards.sql';
import m0011 from './0011_merged_index.sql';
import m0012 from './0012_hardening.sql';
import m0013 from './0013_due_version.sql';
import m0014 from './0014_crews.sql';
import m0015 from './0015_reminder_lead_times.sql';
import m0016 from './0016_schedule.sql';
import m0017 from './0017_jobs_status_index.sql';
import m0018 from './0018_billing_and_conversations.sql';
import m0019 from './0019_client_tax_percent.sql';
import m0020 from './0020_sales.sql';
import m0021 from './0021_crm_links.sql';

  export default {
    journal,
    migrations: {
      m0000,
m0001,
m0002,
m0003,
m0004,
m0005,
m0006,
m0007,
m0008,
m0009,
m0010,
m0011,
m0012,
m0013,
m0014,
m0015,
m0016,
m0017,
m0018,
m0019,
m0020,
m0021
    }
  }
  