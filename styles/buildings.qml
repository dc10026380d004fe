<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>
<qgis version="3.22.0" styleCategories="Symbology|Fields" labelsEnabled="0">
  <renderer-v2 type="RuleRenderer" forceraster="0" symbollevels="0" enableorderby="0">
    <rules key="r_root">
      <rule key="r_both" filter="&quot;sc_c15&quot; = 1 AND &quot;ws_c15&quot; = 1 AND coalesce(&quot;outside&quot;, 0) = 0" label="两类设施15分钟均覆盖 both kinds within 15 min" symbol="0"/>
      <rule key="r_sc" filter="&quot;sc_c15&quot; = 1 AND coalesce(&quot;ws_c15&quot;, 0) = 0 AND coalesce(&quot;outside&quot;, 0) = 0" label="仅党群服务中心覆盖 service centre only" symbol="1"/>
      <rule key="r_ws" filter="coalesce(&quot;sc_c15&quot;, 0) = 0 AND &quot;ws_c15&quot; = 1 AND coalesce(&quot;outside&quot;, 0) = 0" label="仅暖心驿站覆盖 warm station only" symbol="2"/>
      <rule key="r_outside" filter="&quot;outside&quot; = 1" label="不在任何社区内（无网格） outside every community (no grid)" symbol="4"/>
      <rule key="r_none" filter="ELSE" label="15分钟未覆盖 not covered" symbol="3"/>
    </rules>
    <symbols>
      <symbol type="fill" name="0" alpha="1" clip_to_extent="1" force_rhr="0">
        <layer class="SimpleFill" enabled="1" locked="0" pass="0">
          <Option type="Map">
            <Option name="color" type="QString" value="26,150,65,255"/>
            <Option name="outline_color" type="QString" value="80,80,80,255"/>
            <Option name="outline_style" type="QString" value="solid"/>
            <Option name="outline_width" type="QString" value="0.1"/>
            <Option name="outline_width_unit" type="QString" value="MM"/>
            <Option name="style" type="QString" value="solid"/>
          </Option>
        </layer>
      </symbol>
      <symbol type="fill" name="1" alpha="1" clip_to_extent="1" force_rhr="0">
        <layer class="SimpleFill" enabled="1" locked="0" pass="0">
          <Option type="Map">
            <Option name="color" type="QString" value="166,217,106,255"/>
            <Option name="outline_color" type="QString" value="80,80,80,255"/>
            <Option name="outline_style" type="QString" value="solid"/>
            <Option name="outline_width" type="QString" value="0.1"/>
            <Option name="outline_width_unit" type="QString" value="MM"/>
            <Option name="style" type="QString" value="solid"/>
          </Option>
        </layer>
      </symbol>
      <symbol type="fill" name="2" alpha="1" clip_to_extent="1" force_rhr="0">
        <layer class="SimpleFill" enabled="1" locked="0" pass="0">
          <Option type="Map">
            <Option name="color" type="QString" value="253,174,97,255"/>
            <Option name="outline_color" type="QString" value="80,80,80,255"/>
            <Option name="outline_style" type="QString" value="solid"/>
            <Option name="outline_width" type="QString" value="0.1"/>
            <Option name="outline_width_unit" type="QString" value="MM"/>
            <Option name="style" type="QString" value="solid"/>
          </Option>
        </layer>
      </symbol>
      <symbol type="fill" name="3" alpha="1" clip_to_extent="1" force_rhr="0">
        <layer class="SimpleFill" enabled="1" locked="0" pass="0">
          <Option type="Map">
            <Option name="color" type="QString" value="215,25,28,255"/>
            <Option name="outline_color" type="QString" value="80,80,80,255"/>
            <Option name="outline_style" type="QString" value="solid"/>
            <Option name="outline_width" type="QString" value="0.1"/>
            <Option name="outline_width_unit" type="QString" value="MM"/>
            <Option name="style" type="QString" value="solid"/>
          </Option>
        </layer>
      </symbol>
      <symbol type="fill" name="4" alpha="1" clip_to_extent="1" force_rhr="0">
        <layer class="SimpleFill" enabled="1" locked="0" pass="0">
          <Option type="Map">
            <Option name="color" type="QString" value="189,189,189,255"/>
            <Option name="outline_color" type="QString" value="118,42,131,255"/>
            <Option name="outline_style" type="QString" value="dash"/>
            <Option name="outline_width" type="QString" value="0.4"/>
            <Option name="outline_width_unit" type="QString" value="MM"/>
            <Option name="style" type="QString" value="solid"/>
          </Option>
        </layer>
      </symbol>
    </symbols>
  </renderer-v2>
  <aliases>
    <alias index="0" field="id" name="建筑编号 building id"/>
    <alias index="1" field="name" name="建筑名称 building name"/>
    <alias index="2" field="type" name="建筑类型 building type"/>
    <alias index="3" field="comm_code" name="社区代码 community code"/>
    <alias index="4" field="comm_name" name="社区名称 community name"/>
    <alias index="5" field="st_code" name="街道代码 street code"/>
    <alias index="6" field="st_name" name="街道名称 street name"/>
    <alias index="7" field="grid_code" name="网格编码 grid code"/>
    <alias index="8" field="group_code" name="楼栋党小组编码 building group code"/>
    <alias index="9" field="households" name="户数 households"/>
    <alias index="10" field="population" name="人口 population"/>
    <alias index="11" field="hh_est" name="户数为估算值 households estimated (1 = yes)"/>
    <alias index="12" field="pop_est" name="人口为估算值 population estimated (1 = yes)"/>
    <alias index="13" field="floors" name="层数 floors"/>
    <alias index="14" field="area_m2" name="占地面积（平方米） footprint area (m²)"/>
    <alias index="15" field="dedicated" name="专属网格单位 dedicated unit (1 = own grid)"/>
    <alias index="16" field="outside" name="不在任何社区内 outside every community, in no grid (1 = yes)"/>
    <alias index="17" field="sc_id" name="最近党群服务中心编号 nearest party service centre id"/>
    <alias index="18" field="sc_name" name="最近党群服务中心名称 nearest party service centre name"/>
    <alias index="19" field="sc_min" name="到最近党群服务中心步行分钟 walking minutes to nearest party service centre"/>
    <alias index="20" field="sc_n15" name="15分钟内党群服务中心数 party service centres within 15 min"/>
    <alias index="21" field="sc_c5" name="5分钟覆盖（党群服务中心） covered by party service centre within 5 min"/>
    <alias index="22" field="sc_c10" name="10分钟覆盖（党群服务中心） covered by party service centre within 10 min"/>
    <alias index="23" field="sc_c15" name="15分钟覆盖（党群服务中心） covered by party service centre within 15 min"/>
    <alias index="24" field="ws_id" name="最近暖心驿站编号 nearest warm station id"/>
    <alias index="25" field="ws_name" name="最近暖心驿站名称 nearest warm station name"/>
    <alias index="26" field="ws_min" name="到最近暖心驿站步行分钟 walking minutes to nearest warm station"/>
    <alias index="27" field="ws_n15" name="15分钟内暖心驿站数 warm stations within 15 min"/>
    <alias index="28" field="ws_c5" name="5分钟覆盖（暖心驿站） covered by warm station within 5 min"/>
    <alias index="29" field="ws_c10" name="10分钟覆盖（暖心驿站） covered by warm station within 10 min"/>
    <alias index="30" field="ws_c15" name="15分钟覆盖（暖心驿站） covered by warm station within 15 min"/>
  </aliases>
</qgis>
